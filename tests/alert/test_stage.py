"""The `alerts` stage in the real pipeline: a rule fires once per matching document."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from marsad.alert.rules import PENDING
from marsad.pipeline.ingest import Ingestor
from marsad.store.models import AlertDelivery, Alias, Entity, Relation, StageRun
from marsad.workspace import Workspace
from tests.alert.store import add_rule

STATEMENT = "قال أكرم الكعبي إن الاجتماع بحث التنسيق بين الفصائل في بغداد."
OTHER = "وزّعت جمعية خيرية سلالاً غذائية على العائلات في صنعاء قبل شهر رمضان."


def page(folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.write_text(f"<html><head><title>{name}</title></head><body><p>{text}</p></body></html>")
    return str(path)


def test_a_rule_fires_once_per_document_however_often_the_pipeline_runs(
    workspace: Workspace, tmp_path: Path
) -> None:
    with workspace.database.session() as session:
        group = Entity(id="org-nujaba", kind="organization", name="Harakat al-Nujaba")
        person = Entity(id="person-kaabi", kind="person", name="Akram al-Kaabi")
        person.aliases.append(Alias(name="أكرم الكعبي", normalized="اكرم الكعبي", language="ar"))
        session.add_all([group, person])
        session.flush()
        session.add(
            Relation(subject_id=person.id, predicate="secretary_general_of", object_id=group.id)
        )
        add_rule(session, {"entities": ["org-nujaba"]}, name="Nujaba")
        add_rule(session, {"keywords": ["صنعاء"], "languages": ["ar"]}, name="Sanaa")
        disabled = add_rule(session, {"languages": ["ar"]}, name="off")
        disabled.enabled = False
    summary = Ingestor(workspace).ingest(
        [page(tmp_path, "a.html", STATEMENT), page(tmp_path, "b.html", OTHER)]
    )
    assert summary.pipeline.failed == 0, summary.pipeline.failures
    workspace.runner().run(force=True)
    workspace.runner().run(stage_names=["alerts"], force=True)
    with workspace.database.session() as session:
        rows = session.scalars(select(AlertDelivery).order_by(AlertDelivery.id)).all()
        fired = [(row.payload["rule"]["name"], row.payload["item"]["title"]) for row in rows]
        assert sorted(fired) == [("Nujaba", "a.html"), ("Sanaa", "b.html")]
        assert {row.status for row in rows} == {PENDING}
        nujaba = next(row for row in rows if row.payload["rule"]["name"] == "Nujaba")
        (reason,) = nujaba.payload["reasons"]
        assert reason["entity_id"] == "person-kaabi" and reason["watched"] == "org-nujaba"
        runs = session.scalars(select(StageRun).where(StageRun.stage == "alerts")).all()
        assert len(runs) == 6 and {run.status for run in runs} == {"ok"}
