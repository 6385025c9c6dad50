"""The custody chain anchored outside the database (adversarial probe, item 8): a tail cut, or
rows rewritten and re-chained with SHA-256 by someone who can write the database, are caught
by the keyed MACs and the signed checkpoint file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import delete, select

from marsad.pipeline.ingest import Ingestor
from marsad.preserve.custody import hash_entry
from marsad.preserve.verify import VerifyReport, verify_evidence
from marsad.store.models import CustodyEntry
from marsad.workspace import Workspace

pytestmark = pytest.mark.adversarial

PAGES = {
    "ar.html": "<html><body><p>صدر اليوم بيان رسمي عن المكتب الإعلامي للحركة.</p></body></html>",
    "fa.html": "<html><body><p>امروز بیانیه‌ای از دفتر رسانه‌ای منتشر شد.</p></body></html>",
    "he.html": "<html><body><p>הודעה רשמית פורסמה היום באתר הארגון.</p></body></html>",
}


def ingest(workspace: Workspace, folder: Path) -> None:
    for name, page in PAGES.items():
        (folder / name).write_text(page, encoding="utf-8")
        Ingestor(workspace).capture([str(folder / name)])  # one commit (and checkpoint) each


def verify(workspace: Workspace, sealed: bool = True, timestamps: bool = False) -> VerifyReport:
    with workspace.database.session() as session:
        return verify_evidence(
            session,
            workspace.blobs,
            workspace.settings.warc_dir,
            seal=workspace.custody_seal if sealed else None,
            timestamps=workspace.custody_timestamps if timestamps else None,
        )


def problems(report: VerifyReport) -> str:
    return "\n".join(f"{f.subject}: {f.message}" for f in report.problems)


def rechain_from(workspace: Workspace, seq: int, **changes: object) -> None:
    """What a forger with database access does: change a row, then recompute every hash."""
    with workspace.database.session() as session:
        entries = list(session.scalars(select(CustodyEntry).order_by(CustodyEntry.seq)))
        previous = entries[seq - 2].entry_hash if seq > 1 else "0" * 64
        for entry in entries[seq - 1 :]:
            if entry.seq == seq:
                for name, value in changes.items():
                    setattr(entry, name, value)
            entry.prev_hash = previous
            entry.entry_hash = hash_entry(entry)
            previous = entry.entry_hash


def test_a_clean_home_verifies_and_the_checkpoint_follows_the_head(
    workspace: Workspace, tmp_path: Path
) -> None:
    ingest(workspace, tmp_path)
    report = verify(workspace)
    assert report.problems == [] and report.warnings == [], problems(report)
    checkpoint = json.loads(workspace.custody_seal.checkpoint_file.read_text())
    assert checkpoint["seq"] == 3 and checkpoint["sealed_from"] == 1
    assert workspace.custody_seal.key_file.stat().st_mode & 0o077 == 0
    with workspace.database.session() as session:
        macs = list(session.scalars(select(CustodyEntry.entry_mac)))
    assert len(macs) == 3 and all(mac and len(mac) == 64 for mac in macs)


def test_a_cut_tail_is_detected(workspace: Workspace, tmp_path: Path) -> None:
    ingest(workspace, tmp_path)
    with workspace.database.session() as session:
        session.execute(delete(CustodyEntry).where(CustodyEntry.seq == 3))
    assert verify(workspace, sealed=False).problems == []  # the chain alone cannot tell
    report = verify(workspace)
    assert "custody log cut: the checkpoint records entry 3, the log ends at entry 2" in problems(
        report
    )


def test_a_rewritten_and_rechained_log_is_detected(workspace: Workspace, tmp_path: Path) -> None:
    ingest(workspace, tmp_path)
    rechain_from(workspace, 2, actor="analyst:someone-else")
    assert verify(workspace, sealed=False).problems == []  # SHA-256 alone is fooled
    text = problems(verify(workspace))
    assert "custody entry 2 has a MAC that the custody key did not make" in text
    assert "custody entry 3 has a MAC" in text
    assert "custody log rewritten: entry 3 no longer has the hash the checkpoint recorded" in text


def test_stripping_the_macs_is_detected(workspace: Workspace, tmp_path: Path) -> None:
    ingest(workspace, tmp_path)
    rechain_from(workspace, 1, entry_mac=None)
    with workspace.database.session() as session:
        for entry in session.scalars(select(CustodyEntry)):
            entry.entry_mac = None
    text = problems(verify(workspace))
    assert "3 custody entries from seq 1 on carry no MAC" in text


def test_a_forged_checkpoint_and_a_missing_key_are_detected(
    workspace: Workspace, tmp_path: Path
) -> None:
    ingest(workspace, tmp_path)
    seal = workspace.custody_seal
    body = json.loads(seal.checkpoint_file.read_text())
    seal.checkpoint_file.write_text(json.dumps({**body, "seq": 2}))
    assert "is not valid: its signature does not match" in problems(verify(workspace))
    seal.key_file.unlink()
    assert f"the custody key {seal.key_file} is missing" in problems(verify(workspace))


def test_a_rolled_back_append_does_not_move_the_checkpoint(
    workspace: Workspace, tmp_path: Path
) -> None:
    ingest(workspace, tmp_path)
    with pytest.raises(RuntimeError), workspace.database.session() as session:
        workspace.capture_recorder(session).custody.append("verified", "test")
        raise RuntimeError("the unit of work fails")
    assert json.loads(workspace.custody_seal.checkpoint_file.read_text())["seq"] == 3
    assert verify(workspace).problems == []
