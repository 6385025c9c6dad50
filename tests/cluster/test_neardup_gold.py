"""The neardup gate on a generated corpus of known stories (bench/bench_cluster.py prints the
same scores on a larger one): pairwise F1 >= 0.95 and the original found first in its group."""

from collections import defaultdict
from pathlib import Path

from sqlalchemy import select

from marsad.cluster.origin import first_copy
from marsad.pipeline.ingest import Ingestor
from marsad.store.models import Document
from marsad.workspace import Workspace
from tests.cluster.story_corpus import pairwise, story_corpus

STORIES = 48


def test_copies_are_grouped_and_the_original_comes_first(
    workspace: Workspace, tmp_path: Path
) -> None:
    corpus = story_corpus(STORIES, seed=11)
    paths = []
    # Captured in publication order: the crawler saw each copy as it appeared.
    for doc in sorted(corpus, key=lambda d: d.published):
        path = tmp_path / f"{doc.name}.html"
        path.write_text(doc.html(), encoding="utf-8")
        paths.append(str(path))
    summary = Ingestor(workspace).ingest(paths)
    assert summary.pipeline.failures == []
    with workspace.database.session() as session:
        documents = {Path(d.url).stem: d for d in session.scalars(select(Document))}
        session.expunge_all()
    by_name = {doc.name: doc for doc in corpus}
    gold = {name: by_name[name].group for name in documents}
    found = {name: d.cluster_id or f"alone-{d.id}" for name, d in documents.items()}
    precision, recall, f1 = pairwise(gold, found)
    assert precision >= 0.98, (precision, recall, f1)
    assert f1 >= 0.95, (precision, recall, f1)

    groups: dict[int, list[Document]] = defaultdict(list)
    for document in documents.values():
        if document.cluster_id is not None:
            groups[document.cluster_id].append(document)
    originals = [d for d in corpus if d.kind == "original"]
    with_copies = [d for d in originals if documents[d.name].cluster_id is not None]
    assert len(with_copies) >= STORIES // 2
    for original in with_copies:
        first = first_copy(groups[int(documents[original.name].cluster_id or 0)])
        assert Path(first.url).stem == original.name
