"""The stories gate on a generated multilingual gold (bench/bench_cluster.py prints the same
scores on a larger one): stories told in up to four languages, with reposts, grouped with
B-cubed F1 >= 0.85, and better than near-duplicate groups alone could."""

from pathlib import Path

import pytest
from sqlalchemy import select

from marsad.cluster.stories import load_stories
from marsad.store.models import Document
from tests.cluster.story_corpus import (
    b_cubed,
    ingest_in_crawl_order,
    load_gold_kb,
    multilingual_corpus,
)

STORIES = 60


@pytest.mark.slow
def test_stories_in_several_languages_are_grouped_against_the_gold(
    tmp_path: Path, database_url: str
) -> None:
    corpus = multilingual_corpus(STORIES, seed=7)
    assert len({doc.language for doc in corpus}) == 4
    workspace = ingest_in_crawl_order(corpus, tmp_path, load_gold_kb, database_url)
    with workspace.database.session() as session:
        documents = {Path(d.url).stem: d for d in session.scalars(select(Document))}
        story_of = {m.document_id: s.id for s in load_stories(session) for m in s.members}
        session.expunge_all()
    workspace.close()
    story_by_name = {doc.name: doc.story for doc in corpus}
    gold = {name: story_by_name[name] for name in documents}
    found = {name: story_of.get(d.id, f"alone-{d.id}") for name, d in documents.items()}
    neardup_only = {name: d.cluster_id or f"alone-{d.id}" for name, d in documents.items()}
    stories_score = b_cubed(gold, found)
    assert stories_score >= 0.85, stories_score
    assert stories_score > b_cubed(gold, neardup_only) + 0.05
