"""The review queue on SQLite and PostgreSQL: names grouped across documents, and verdicts
that outlive the link stage's re-runs."""

from pathlib import Path

import pytest
from sqlalchemy import select

from marsad.errors import KnowledgeBaseError
from marsad.link.aliases import default_variant_generator
from marsad.link.candidates import default_candidate_finder
from marsad.link.review import ReviewQueue
from marsad.link.store import KnowledgeBaseStore
from marsad.pipeline.ingest import Ingestor
from marsad.store.models import Alias, AuditLog, Entity, Mention, ReviewVerdict
from marsad.text.normalize import default_normalizer
from marsad.workspace import Workspace

PAGES = {
    "ar-1.txt": (
        "ar",
        "خبر محلي\nقال القيادي أحمد سالم يوم الاثنين إن كتائب النور الجديد ستشارك في اللجنة.\n",
    ),
    "ar-2.txt": (
        "ar",
        "خبر آخر\nوأكد القيادي أحمد سالم أن الطريق سيفتح الأسبوع المقبل أمام السكان.\n",
    ),
    "en-1.txt": (
        "en",
        "Local news\nLater the commander Samir Haddad said the Dawn Brigades would attend.\n",
    ),
}


def ingest(workspace: Workspace, tmp_path: Path) -> None:
    for name, (language, text) in PAGES.items():
        page = tmp_path / name
        page.write_text(text, encoding="utf-8")
        summary = Ingestor(workspace).ingest([str(page)], language=language)
        assert summary.pipeline.failures == []


def review(workspace: Workspace, action: str, *args: object) -> object:
    with workspace.database.session() as session:
        store = KnowledgeBaseStore(session, default_normalizer(), default_variant_generator())
        queue = ReviewQueue(store, default_candidate_finder())
        return getattr(queue, action)(*args)


def queued(workspace: Workspace, kind: str | None = None) -> list[tuple[str, str, int]]:
    names = review(workspace, "queued", kind)
    assert isinstance(names, list)
    return [(name.surface, name.kind, name.count) for name in names]


def test_the_queue_groups_a_name_across_documents(workspace: Workspace, tmp_path: Path) -> None:
    ingest(workspace, tmp_path)
    names = review(workspace, "queued", None, None)
    assert isinstance(names, list)
    first = names[0]
    assert (first.surface, first.kind, first.count, first.languages) == (
        "أحمد سالم",
        "person",
        2,
        ("ar",),
    )
    assert (
        first.example == "قال القيادي أحمد سالم يوم الاثنين إن كتائب النور الجديد ستشارك في اللجنة."
    )
    assert sorted(queued(workspace)[1:]) == [
        ("Dawn Brigades", "organization", 1),
        ("Samir Haddad", "person", 1),
        ("كتائب النور الجديد", "organization", 1),
    ]
    assert queued(workspace, "organization") == [
        ("Dawn Brigades", "organization", 1),
        ("كتائب النور الجديد", "organization", 1),
    ]


def test_a_rejected_name_stays_gone_after_a_rerun(workspace: Workspace, tmp_path: Path) -> None:
    ingest(workspace, tmp_path)
    assert review(workspace, "reject", "Dawn Brigades", None, "analyst:test") == ["organization"]
    assert ("Dawn Brigades", "organization", 1) not in queued(workspace)
    workspace.runner().run(stage_names=["link"], force=True)
    assert ("Dawn Brigades", "organization", 1) not in queued(workspace)
    with workspace.database.session() as session:
        surfaces = session.scalars(select(Mention.surface)).all()
        audit = session.scalars(select(AuditLog).where(AuditLog.action == "review.reject")).one()
        assert (audit.target_id, audit.details["kind"]) == ("dawn brigades", "organization")
    assert "Dawn Brigades" not in surfaces
    assert "Samir Haddad" in surfaces  # the other names are still proposed


def test_a_confirmed_name_becomes_an_entity_and_links_on_the_next_run(
    workspace: Workspace, tmp_path: Path
) -> None:
    ingest(workspace, tmp_path)
    created = review(
        workspace, "confirm", "احمد سالم", "person", "marsad-person-ahmad-salem", "Ahmad Salem", "a"
    )
    assert created == ("marsad-person-ahmad-salem", True)
    assert [name for name in queued(workspace) if name[0] == "أحمد سالم"] == []
    workspace.runner().run(stage_names=["link"], force=True)
    with workspace.database.session() as session:
        entity = session.get_one(Entity, "marsad-person-ahmad-salem")
        assert entity.name == "Ahmad Salem" and entity.properties["origin"] == "analyst"
        aliases = session.execute(
            select(Alias.name, Alias.language).where(
                Alias.entity_id == entity.id, Alias.origin == "analyst"
            )
        ).all()
        assert ("احمد سالم", "ar") in aliases
        linked = session.scalars(
            select(Mention.surface).where(Mention.entity_id == entity.id).order_by(Mention.id)
        ).all()
        verdict = session.scalars(select(ReviewVerdict)).one()
        actions = set(session.scalars(select(AuditLog.action)))
    assert linked == ["أحمد سالم", "أحمد سالم"]  # both documents, as a normal alias mention
    assert (verdict.verdict, verdict.entity_id) == ("confirmed", "marsad-person-ahmad-salem")
    assert {"review.confirm", "kb.analyst"} <= actions


def test_an_unjudgeable_name_or_kind_is_refused(workspace: Workspace) -> None:
    with pytest.raises(KnowledgeBaseError, match="expected one of person, organization"):
        review(workspace, "reject", "Samir Haddad", "place", "a")
    with pytest.raises(KnowledgeBaseError, match="is not a name"):
        review(workspace, "reject", "2024", None, "a")
    with workspace.database.session() as session:
        assert session.scalars(select(ReviewVerdict)).all() == []
