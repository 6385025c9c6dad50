"""`marsad report build` as an analyst runs it: every format written, the report stored once
per title, each build in the audit log; unknown citations fail with their names."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from marsad.store.models import AuditLog, Report
from marsad.workspace import Workspace
from tests.commandline import marsad_for
from tests.report.corpus import REPORT, populate


def test_build_writes_every_format_and_keeps_one_report_row(
    workspace: Workspace, tmp_path: Path
) -> None:
    with workspace.database.session() as session:
        populate(session)
    source = tmp_path / "monitor.md"
    source.write_text(REPORT, encoding="utf-8")
    settings = workspace.settings
    built = marsad_for(settings, "report", "build", str(source), "--format", "md").stdout
    assert "'Weekly monitor: Nujaba media': 5 sources" in built
    assert (tmp_path / "monitor.footnoted.md").read_text(encoding="utf-8").count("[^") > 5
    assert source.read_text(encoding="utf-8") == REPORT  # the analyst's file is untouched
    marsad_for(settings, "report", "build", str(source), "-f", "pdf", "-o", str(tmp_path / "r.pdf"))
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF-")
    source.write_text(REPORT + "\nA claim without a source [@doc:41].\n", encoding="utf-8")
    failed = marsad_for(settings, "report", "build", str(source), check=False)
    assert failed.returncode == 1
    assert "the report cites what the store does not have: @doc:41" in failed.stderr
    assert not (tmp_path / "monitor.html").exists()
    with workspace.database.session() as session:
        (report,) = session.scalars(select(Report)).all()
        assert report.title == "Weekly monitor: Nujaba media" and report.body == REPORT
        builds = session.scalars(select(AuditLog).where(AuditLog.action == "report.build")).all()
        assert [entry.details["format"] for entry in builds] == ["md", "pdf"]
        assert builds[1].details["sources"][:2] == ["@doc:1", "@doc:2"]


def test_a_build_leaves_a_web_draft_of_the_same_title_alone(
    workspace: Workspace, tmp_path: Path
) -> None:
    from marsad.web.accounts import create_user

    with workspace.database.session() as session:
        populate(session)
        author = create_user(session, "drafter", "a-long-drafter-passphrase", "analyst")
        session.add(
            Report(title="Weekly monitor: Nujaba media", body="my notes", author_id=author.id)
        )
    source = tmp_path / "monitor.md"
    source.write_text(REPORT, encoding="utf-8")
    marsad_for(workspace.settings, "report", "build", str(source), "--format", "md")
    marsad_for(workspace.settings, "report", "build", str(source), "--format", "md")
    with workspace.database.session() as session:
        reports = session.scalars(select(Report).order_by(Report.id)).all()
        assert [(r.author_id is None, r.body) for r in reports] == [
            (False, "my notes"),
            (True, REPORT),
        ]
