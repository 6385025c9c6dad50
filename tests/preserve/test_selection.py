"""A WACZ of chosen captures (or of a report's evidence) carries their records and nothing
else from the archive, byte for byte, and the WACZ validator accepts it."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select
from wacz.main import main as wacz_main
from warcio.archiveiterator import ArchiveIterator

from marsad.errors import CaptureUnknown
from marsad.pipeline.ingest import Ingestor
from marsad.preserve.wacz import write_wacz
from marsad.store.models import Capture, CustodyEntry
from marsad.workspace import Workspace
from tests.commandline import marsad_for

TEXTS = {
    "ar.txt": "بيان\nأعلنت الحركة عن افتتاح مكتب جديد في بغداد.\n",
    "fa.txt": "خبر\nاین گروه دفتر تازه‌ای در تهران گشود.\n",
    "he.txt": "הודעה\nהארגון פתח משרד חדש בעיר.\n",
}


def ingest(workspace: Workspace, folder: Path) -> dict[str, Capture]:
    for name, text in TEXTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    Ingestor(workspace).ingest([str(folder / name) for name in TEXTS])
    with workspace.database.session() as session:
        captures = session.scalars(select(Capture).order_by(Capture.id)).all()
        return {capture.url.rsplit("/", 1)[-1]: capture for capture in captures}


def records(wacz: Path) -> list[tuple[str, str, str]]:
    with zipfile.ZipFile(wacz) as archive:
        names = [n for n in archive.namelist() if n.startswith("archive/")]
        assert names == ["archive/selection.warc.gz"]
        with archive.open(names[0]) as stream:
            return [
                (str(r.rec_type), str(r.rec_headers.get_header("WARC-Target-URI")),
                 str(r.rec_headers.get_header("WARC-Record-ID")))
                for r in ArchiveIterator(stream, check_digests=True)
            ]  # fmt: skip


def test_a_selection_holds_only_the_chosen_captures(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    captures = ingest(workspace, tmp_path)
    chosen = [captures["ar.txt"], captures["he.txt"]]
    target = tmp_path / "out" / "selection.wacz"
    with workspace.database.session() as session:
        summary = write_wacz(session, workspace.settings.warc_dir, target, "case",
                             [c.id for c in chosen])  # fmt: skip
    assert summary.pages == 2 and summary.warc_files == 1
    found = records(target)
    assert {uri for _type, uri, _id in found} == {c.url for c in chosen}
    # Each capture's resource record and its metadata record, with the archive's own ids.
    assert [kind for kind, _uri, _id in found] == ["resource", "metadata"] * 2
    assert [rid for kind, _u, rid in found if kind == "resource"] == [
        c.warc_record_id for c in chosen
    ]
    with zipfile.ZipFile(target) as archive:
        pages = archive.read("pages/pages.jsonl").decode("utf-8").splitlines()[1:]
    assert [json.loads(line)["url"] for line in pages] == [c.url for c in chosen]
    assert wacz_main(["validate", "-f", str(target)]) == 0
    assert "Validation succeeded" in capsys.readouterr().out


def test_unknown_captures_are_refused(workspace: Workspace, tmp_path: Path) -> None:
    ingest(workspace, tmp_path)
    with workspace.database.session() as session:
        with pytest.raises(CaptureUnknown, match="no capture 99"):
            write_wacz(session, workspace.settings.warc_dir, tmp_path / "x.wacz", "x",
                       [1, 99])  # fmt: skip
    assert not (tmp_path / "x.wacz").exists()


def test_the_command_packages_the_evidence_a_report_cites(
    workspace: Workspace, tmp_path: Path
) -> None:
    captures = ingest(workspace, tmp_path)
    with workspace.database.session() as session:
        fa_capture = session.scalars(
            select(Capture.id).where(Capture.url == captures["fa.txt"].url)
        ).one()
    report = tmp_path / "case.md"
    report.write_text(f"# Case\n\nThe office opened [@capture:{fa_capture}].\n", encoding="utf-8")
    target = tmp_path / "case.wacz"
    result = marsad_for(workspace.settings, "export", "wacz", "-o", str(target),
                        "--cited-by", str(report))  # fmt: skip
    assert "exported 1 pages" in result.stderr
    assert {uri for _t, uri, _i in records(target)} == {captures["fa.txt"].url}
    with workspace.database.session() as session:
        entry = session.scalars(select(CustodyEntry).order_by(CustodyEntry.seq.desc())).first()
        assert entry is not None and entry.action == "exported"
        assert entry.details["captures"] == [fa_capture]
