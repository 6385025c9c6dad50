"""The `events` stage in the pipeline, on SQLite and PostgreSQL: events with evidence that
slices the stored text, merged across documents, replaced on re-runs, corrections kept."""

from pathlib import Path
from typing import Any

from sqlalchemy import select

from marsad.events.corrections import correct_event, correction_value
from marsad.events.taxonomy import default_taxonomy
from marsad.export.records import EXPORT_FIELDS, records_of
from marsad.store.models import AuditLog, Document, Event, EventSource
from marsad.workspace import Workspace
from tests.events.corpus import ARABIC, ENGLISH, ingest_text, load_kb


def exported(workspace: Workspace) -> list[dict[str, Any]]:
    with workspace.database.session() as session:
        return list(records_of("events", session))


def by_type(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {record["type"]: record for record in records}


def summary_of(records: list[dict[str, Any]]) -> set[tuple[object, ...]]:
    return {
        (
            r["type"],
            r["date"],
            tuple(sorted((a["entity_id"] or a["name"], a["role"]) for a in r["actors"])),
            tuple(sorted(s["document_id"] for s in r["sources"])),
        )
        for r in records
    }


def test_events_are_coded_merged_and_exported(workspace: Workspace, tmp_path: Path) -> None:
    load_kb(workspace, tmp_path)
    english = ingest_text(workspace, tmp_path, "en.txt", ENGLISH, "en")
    arabic = ingest_text(workspace, tmp_path, "ar.txt", ARABIC, "ar")
    records = exported(workspace)
    assert all(tuple(record) == EXPORT_FIELDS["events"] for record in records)
    events = by_type(records)
    assert set(events) == {"meet", "open_office", "threaten"}
    meeting = events["meet"]
    assert [s["document_id"] for s in meeting["sources"]] == [english, arabic]
    assert (meeting["date"], meeting["date_precision"], meeting["date_certainty"]) == (
        "2024-03-04",
        "day",
        "certain",
    )
    assert {(a["entity_id"], a["role"]) for a in meeting["actors"]} == {
        ("test-org-hezbollah", "actor"),
        ("test-org-hamas", "participant"),
    }
    assert meeting["place"] == {"entity_id": "test-place-beirut", "name": "Beirut"}
    threat = events["threaten"]
    assert {(a["name"], a["role"]) for a in threat["actors"]} == {
        ("Hamas", "actor"),
        ("US forces", "target"),
    }
    # Undated sentence: the publication date (the dateline), one step less certain.
    assert (threat["date"], threat["date_certainty"]) == ("2024-03-06", "possible")
    with workspace.database.session() as session:
        assert session.get_one(Event, threat["id"]).severity == "conditional"
        for record in records:
            for source in record["sources"]:
                text = session.get_one(Document, source["document_id"]).text or ""
                evidence = source["evidence"]
                assert text[evidence["start"] : evidence["end"]] == evidence["quote"]
                assert evidence["quote"].endswith(".")


def test_re_runs_replace_only_their_own_reports(workspace: Workspace, tmp_path: Path) -> None:
    load_kb(workspace, tmp_path)
    english = ingest_text(workspace, tmp_path, "en.txt", ENGLISH, "en")
    ingest_text(workspace, tmp_path, "ar.txt", ARABIC, "ar")
    before = summary_of(exported(workspace))
    workspace.runner().run(stage_names=["events"], force=True)
    workspace.runner().run(stage_names=["events"], force=True)
    assert summary_of(exported(workspace)) == before
    with workspace.database.session() as session:
        session.get_one(Document, english).text = "Residents described the day as calm.\n"
    workspace.runner().run(document_ids=[english], stage_names=["events"], force=True)
    after = exported(workspace)
    # The English report is gone: its own events with it, the meeting kept by the Arabic one.
    assert [r["type"] for r in after] == ["meet"]
    assert [s["document_id"] for s in after[0]["sources"]] != [english]
    with workspace.database.session() as session:
        orphans = session.scalars(select(Event).where(~Event.sources.any())).all()
        assert orphans == []
        assert (
            session.scalars(select(EventSource).where(EventSource.document_id == english)).all()
            == []
        )


def test_corrections_survive_re_runs_and_are_audited(workspace: Workspace, tmp_path: Path) -> None:
    load_kb(workspace, tmp_path)
    ingest_text(workspace, tmp_path, "en.txt", ENGLISH, "en")
    ingest_text(workspace, tmp_path, "ar.txt", ARABIC, "ar")
    events = by_type(exported(workspace))
    taxonomy = default_taxonomy()
    with workspace.database.session() as session:
        value = correction_value(session, "date", taxonomy, date="2024-03", certainty="likely")
        correct_event(session, events["meet"]["id"], "date", value, "analyst:test")
        value = correction_value(session, "type", taxonomy, event_type="fundraise")
        correct_event(session, events["open_office"]["id"], "type", value, "analyst:test")
        value = correction_value(
            session, "add_actor", taxonomy, entity="test-person-qassem", role="target"
        )
        correct_event(session, events["threaten"]["id"], "add_actor", value, "analyst:test")
    for _ in range(2):
        corrected = by_type(exported(workspace))
        assert set(corrected) == {"meet", "fundraise", "threaten"}
        meeting = corrected["meet"]
        assert (meeting["date"], meeting["date_precision"], meeting["date_certainty"]) == (
            "2024-03",
            "month",
            "likely",
        )
        assert len(meeting["sources"]) == 2
        assert ("test-person-qassem", "target") in {
            (a["entity_id"], a["role"]) for a in corrected["threaten"]["actors"]
        }
        workspace.runner().run(stage_names=["events"], force=True)
    threat = by_type(exported(workspace))["threaten"]  # ids change as the stage re-runs
    with workspace.database.session() as session:
        value = correction_value(session, "delete", taxonomy)
        assert correct_event(session, threat["id"], "delete", value, "a") is None
    workspace.runner().run(stage_names=["events"], force=True)
    assert set(by_type(exported(workspace))) == {"meet", "fundraise"}
    with workspace.database.session() as session:
        audit = session.scalars(
            select(AuditLog.details).where(AuditLog.action == "events.correct")
        ).all()
    assert [entry["action"] for entry in audit] == ["date", "type", "add_actor", "delete"]


def test_the_dates_stage_dates_phrases_by_coded_events(
    workspace: Workspace, tmp_path: Path
) -> None:
    load_kb(workspace, tmp_path)
    ingest_text(
        workspace,
        tmp_path,
        "funeral.txt",
        "Beirut, 5 March 2024\nHezbollah held a funeral in Beirut on 4 March 2024.\n",
        "en",
    )
    later = ingest_text(
        workspace,
        tmp_path,
        "later.txt",
        "Beirut, 9 March 2024\nHamas met Naim Qassem around the time of "
        "Hezbollah's funeral in Beirut.\n",
        "en",
    )
    meetings = [r for r in exported(workspace) if r["type"] == "meet"]
    assert [(m["date"], m["date_certainty"]) for m in meetings] == [("2024-03-04", "likely")]
    assert [s["document_id"] for s in meetings[0]["sources"]] == [later]
