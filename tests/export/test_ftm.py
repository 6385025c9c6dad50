"""`marsad export ftm`: FollowTheMoney entities that FtM's own model reads back, the same
on every export."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from followthemoney import model
from sqlalchemy import select

from marsad.export.ftm import ftm_lines
from marsad.store.models import Document, Entity, Mention, Relation
from marsad.workspace import Workspace
from tests.commandline import marsad_for
from tests.conftest import workspace_for
from tests.report.corpus import populate


@pytest.fixture(scope="module")
def workspace(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    with workspace_for(backend, tmp_path_factory.mktemp("ftm")) as workspace:
        with workspace.database.session() as session:
            populate(session)
            group = session.get_one(Entity, "org-nujaba")
            group.designations = [{"authority": "US Department of State", "list": "FTO",
                                   "date": "2019-03-05"}]  # fmt: skip
            session.add(Entity(id="person-kaabi", kind="person", name="Akram al-Kaabi"))
            session.flush()
            document = session.scalars(select(Document).order_by(Document.id)).first()
            assert document is not None
            session.add_all([
                Relation(subject_id="person-kaabi", predicate="secretary_general_of",
                         object_id="org-nujaba", document_id=document.id, stage="link",
                         evidence_start=6, evidence_end=18),
                Mention(document_id=document.id, entity_id="org-nujaba", stage="link",
                        surface="حركة النجباء", start=6, end=18, method="alias"),
            ])  # fmt: skip
        yield workspace


def exported(workspace: Workspace) -> list[dict[str, Any]]:
    with workspace.database.session() as session:
        return [json.loads(line) for line in ftm_lines(session)]


def by_schema(entities: list[dict[str, Any]], schema: str) -> list[dict[str, Any]]:
    return [entity for entity in entities if entity["schema"] == schema]


def test_every_line_is_an_entity_ftm_reads_back(workspace: Workspace) -> None:
    entities = exported(workspace)
    for data in entities:
        proxy = model.get_proxy(data)  # raises on an unknown schema or property
        assert proxy.id == data["id"]
    assert {e["schema"] for e in entities} == {
        "Organization", "Person", "Sanction", "Directorship", "Document", "Mention", "Event",
    }  # fmt: skip


def test_the_mapping_keeps_names_evidence_and_sources(workspace: Workspace) -> None:
    entities = exported(workspace)
    (group,) = by_schema(entities, "Organization")
    assert group["id"] == "org-nujaba" and group["properties"]["alias"] == ["حركة النجباء"]
    assert group["properties"]["topics"] == ["sanction"]
    (sanction,) = by_schema(entities, "Sanction")
    assert sanction["properties"]["entity"] == ["org-nujaba"]
    assert sanction["properties"]["program"] == ["FTO"]
    (role,) = by_schema(entities, "Directorship")
    assert role["properties"]["director"] == ["person-kaabi"]
    assert role["properties"]["role"] == ["secretary_general_of"]
    assert role["properties"]["description"] == ["حركة النجباء"]
    assert role["properties"]["proof"] == ["marsad-document-1"]
    documents = {d["id"]: d["properties"] for d in by_schema(entities, "Document")}
    assert documents["marsad-document-1"]["language"] == ["ara"]  # ISO 639-3, FtM's own
    assert len(documents["marsad-document-1"]["contentHash"][0]) == 64
    events = sorted(by_schema(entities, "Event"), key=lambda e: e["id"])
    assert events[1]["properties"]["date"] == ["2026-01"]
    assert events[1]["properties"]["involved"] == ["org-nujaba"]
    assert events[1]["properties"]["proof"] == ["marsad-document-2"]
    (mention,) = by_schema(entities, "Mention")
    assert mention["properties"]["resolved"] == ["org-nujaba"]


def test_the_command_writes_the_same_file_twice(workspace: Workspace, tmp_path: Path) -> None:
    first, second = tmp_path / "a.ftm.jsonl", tmp_path / "b.ftm.jsonl"
    result = marsad_for(workspace.settings, "export", "ftm", "-o", str(first))
    marsad_for(workspace.settings, "export", "ftm", "-o", str(second))
    assert first.read_bytes() == second.read_bytes()
    count = len(first.read_text(encoding="utf-8").splitlines())
    assert f"exported {count} FollowTheMoney entities" in result.stderr
    refused = marsad_for(workspace.settings, "export", "ftm", "--format", "csv", check=False)
    assert refused.returncode == 1 and "JSON lines only" in refused.stderr
