"""Analyst reports in the STIX bundle: a report citing what the footnotes cite, and a note
with the Markdown; the bundle still validates and re-exports byte for byte."""

from __future__ import annotations

import json

from stix2validator import ValidationOptions, validate_string

from marsad.export.stix import stix_bundle, stix_id
from marsad.store.models import Report
from marsad.workspace import Workspace
from tests.report.corpus import REPORT, populate


def test_a_stored_report_becomes_a_stix_report_and_note(workspace: Workspace) -> None:
    with workspace.database.session() as session:
        populate(session)
        session.add(Report(title="Weekly monitor: Nujaba media", body=REPORT))
        session.add(Report(title="Draft without sources", body="Nothing cited yet."))
    with workspace.database.session() as session:
        text, _count = stix_bundle(session)
    with workspace.database.session() as session:
        assert stix_bundle(session)[0] == text
    results = validate_string(text, ValidationOptions(version="2.1"))
    assert results.is_valid, [str(e) for e in results.errors]
    objects = {item["id"]: item for item in json.loads(text)["objects"]}
    report = objects[stix_id("report", "analyst-report:1")]
    assert report["name"] == "Weekly monitor: Nujaba media"
    assert report["report_types"] == ["threat-report"]
    # [@doc:1] and [@capture:1] share capture 1; [@doc:2] is capture 2; the timeline's
    # events come from the same two captures.
    assert report["object_refs"] == [
        stix_id("observed-data", "capture:1"), stix_id("observed-data", "capture:2"),
    ]  # fmt: skip
    assert all(ref in objects for ref in report["object_refs"])
    note = objects[stix_id("note", "analyst-report:1")]
    assert note["content"] == REPORT and note["object_refs"] == [report["id"]]
    draft = objects[stix_id("report", "analyst-report:2")]
    assert draft["object_refs"] == [stix_id("identity", "marsad")]
