"""`marsad verify` as a user runs it on a tampered home: it names each problem, ends with the
verdict and exits 1 — no "unexpected Exit" (which read as a crash) — and it sees the tampers
of the adversarial probe: a custody tail cut and a WARC file cut short."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import delete

from marsad.pipeline.ingest import Ingestor
from marsad.store.models import CustodyEntry
from marsad.workspace import Workspace
from tests.commandline import marsad_for

pytestmark = pytest.mark.adversarial

PAGE = "<html><body><p>صدر اليوم بيان رسمي عن المكتب الإعلامي للحركة.</p></body></html>"


def test_verify_reports_tampering_and_exits_1_without_a_crash_line(
    workspace: Workspace, tmp_path: Path
) -> None:
    for number in range(2):
        (tmp_path / f"{number}.html").write_text(PAGE.replace("اليوم", f"{number}"), "utf-8")
        Ingestor(workspace).capture([str(tmp_path / f"{number}.html")])
    clean = marsad_for(workspace.settings, "verify")
    assert "0 problems" in clean.stdout and "all evidence intact" in clean.stdout
    with workspace.database.session() as session:  # the "verified" entry and the last capture
        session.execute(delete(CustodyEntry).where(CustodyEntry.seq >= 2))
    warc = next(workspace.settings.warc_dir.glob("*.warc.gz"))
    warc.write_bytes(warc.read_bytes()[:-300])
    result = marsad_for(workspace.settings, "verify", "--no-record", check=False)
    assert result.returncode == 1
    assert "unexpected" not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "custody log cut: the checkpoint records entry 3, the log ends at entry 1" in (
        result.stdout
    )
    assert "it was cut short" in result.stdout
    assert result.stdout.rstrip().endswith("TAMPERING OR LOSS DETECTED")
