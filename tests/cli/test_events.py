"""`marsad events list|show|correct` and `marsad timeline` as a user runs them."""

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from marsad.store.models import AuditLog, Event
from marsad.workspace import Workspace
from tests.commandline import marsad_for
from tests.events.corpus import ARABIC, ENGLISH, ingest_text, load_kb


def event_id(workspace: Workspace, event_type: str) -> int:
    with workspace.database.session() as session:
        return session.scalars(select(Event.id).where(Event.type == event_type)).one()


@pytest.mark.slow  # a dozen `marsad` processes
def test_list_show_correct_and_timeline(workspace: Workspace, tmp_path: Path) -> None:
    load_kb(workspace, tmp_path)
    english = ingest_text(workspace, tmp_path, "en.txt", ENGLISH, "en")
    ingest_text(workspace, tmp_path, "ar.txt", ARABIC, "ar")
    settings = workspace.settings

    listing = marsad_for(settings, "events", "list").stdout
    assert "3 events shown" in listing and "4 Mar 2024" in listing
    assert "threaten (conditional)" in listing
    meeting = event_id(workspace, "meet")
    shown = marsad_for(settings, "events", "show", str(meeting)).stdout
    assert (
        f"document {english}" in shown
        and "“Hezbollah met Hamas in Beirut on 4 March 2024.”" in shown
    )

    # Naim Qassem is Hezbollah's secretary-general: his office is a member's event.
    text = marsad_for(settings, "timeline", "Hezbollah").stdout
    lines = text.splitlines()
    assert lines[0] == "Timeline of Hezbollah (organization): 2 events"
    assert lines[1].startswith("3 Mar 2024") and "[member (via Naim Qassem)]" in lines[1]
    assert lines[2].startswith("4 Mar 2024") and "Meeting" in lines[2]
    records = [
        json.loads(line)
        for line in marsad_for(
            settings, "timeline", "Hamas", "--format", "jsonl"
        ).stdout.splitlines()
    ]
    assert [(r["type"], r["relation"]) for r in records] == [("meet", "own"), ("threaten", "own")]
    assert records[1]["shown_date"] == "6 Mar 2024 (possible, publication date)"
    later = marsad_for(
        settings, "timeline", "Hamas", "--from", "2024-03-05", "--to", "2024-03"
    ).stdout
    assert "1 events" in later.splitlines()[0]
    page = marsad_for(settings, "timeline", "حماس", "--format", "html").stdout
    assert page.startswith("<!DOCTYPE html>") and '<blockquote dir="auto">التقى حزب الله' in page

    corrected = marsad_for(
        settings, "events", "correct", str(meeting), "--date", "2020-01", "--certainty", "likely"
    ).stdout
    assert "corrected (date)" in corrected
    assert "Jan 2020 (likely, corrected)" in marsad_for(settings, "timeline", "Hamas").stdout
    marsad_for(settings, "run", "--stage", "events", "--force")
    assert "Jan 2020 (likely, corrected)" in marsad_for(settings, "timeline", "Hamas").stdout
    with workspace.database.session() as session:
        assert session.scalars(select(AuditLog).where(AuditLog.action == "events.correct")).all()


@pytest.mark.slow
def test_bad_input_is_one_clear_line(workspace: Workspace, tmp_path: Path) -> None:
    load_kb(workspace, tmp_path)
    ingest_text(workspace, tmp_path, "en.txt", ENGLISH, "en")
    meeting = str(event_id(workspace, "meet"))
    for args, message in (
        (("timeline", "Nobody"), "no entity has the name"),
        (("timeline", "Hamas", "--from", "March"), "YYYY, YYYY-MM or YYYY-MM-DD"),
        (("events", "correct", meeting), "exactly one of"),
        (("events", "correct", meeting, "--type", "picnic"), "unknown event type"),
        (("events", "correct", meeting, "--add-actor", "Hamas", "--role", "boss"), "role is one"),
        (("events", "correct", "9999", "--delete"), "no event with id 9999"),
    ):
        result = marsad_for(workspace.settings, *args, check=False)
        assert result.returncode == 1, args
        assert message in result.stderr and "Traceback" not in result.stderr, (args, result.stderr)
