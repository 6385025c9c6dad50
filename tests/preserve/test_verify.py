"""`verify_evidence` against real tampering: files rewritten on disk, rows changed with SQL."""

import gzip
from pathlib import Path

import pytest
from sqlalchemy import select, text
from warcio.archiveiterator import ArchiveIterator

from marsad.pipeline.ingest import Ingestor
from marsad.preserve.verify import VerifyReport, verify_evidence
from marsad.store.models import Capture
from marsad.workspace import Workspace

HEBREW = "<html><body><p>הודעה רשמית פורסמה היום באתר הארגון.</p></body></html>"
ARABIC = "<html><body><p>صدر اليوم بيان رسمي عن المكتب الإعلامي للحركة.</p></body></html>"


def ingest_two(workspace: Workspace, folder: Path) -> list[Capture]:
    for name, page in (("he.html", HEBREW), ("ar.html", ARABIC)):
        (folder / name).write_text(page, encoding="utf-8")
    Ingestor(workspace).capture([str(folder / "he.html"), str(folder / "ar.html")])
    Ingestor(workspace).capture([str(folder / "missing.html")])
    with workspace.database.session() as session:
        captures = list(session.scalars(select(Capture).order_by(Capture.id)))
        session.expunge_all()
        return captures


def verify(workspace: Workspace) -> VerifyReport:
    with workspace.database.session() as session:
        return verify_evidence(session, workspace.blobs, workspace.settings.warc_dir)


def messages(report: VerifyReport) -> list[str]:
    return [f"{finding.subject}: {finding.message}" for finding in report.problems]


def rewrite(path: Path, data: bytes) -> None:
    path.chmod(0o644)
    path.write_bytes(data)


def record_bounds(path: Path, offset: int) -> tuple[int, int]:
    """Where the gzip member of the record at `offset` starts and ends in the WARC file."""
    with path.open("rb") as handle:
        handle.seek(offset)
        iterator = ArchiveIterator(handle)
        next(iterator)
        return offset, offset + iterator.get_record_length()


def test_untouched_evidence_verifies_clean(workspace: Workspace, tmp_path: Path) -> None:
    ingest_two(workspace, tmp_path)
    report = verify(workspace)
    assert (report.captures, report.blobs, report.warc_records) == (3, 2, 2)
    assert report.custody_entries == 3
    assert report.problems == [] and report.warnings == [] and not report.tampered


def test_altered_and_missing_blobs_are_reported(workspace: Workspace, tmp_path: Path) -> None:
    hebrew, arabic, _failed = ingest_two(workspace, tmp_path)
    rewrite(workspace.blobs.path_of(str(hebrew.blob_key)), HEBREW.replace("היום", "אתמול").encode())
    workspace.blobs.path_of(str(arabic.blob_key)).unlink()
    report = verify(workspace)
    assert report.tampered
    (altered, missing) = messages(report)
    assert altered.startswith(f"capture {hebrew.id} ") and "blob was altered" in altered
    assert missing.startswith(f"capture {arabic.id} ") and "blob is missing" in missing


def test_a_rewritten_warc_record_is_reported(workspace: Workspace, tmp_path: Path) -> None:
    """A careful forger re-gzips the record with one word changed: digests still catch it."""
    hebrew, _arabic, _failed = ingest_two(workspace, tmp_path)
    path = workspace.settings.warc_dir / str(hebrew.warc_filename)
    original = path.read_bytes()
    start, end = record_bounds(path, int(hebrew.warc_offset or 0))
    member = gzip.decompress(original[start:end])
    forged = member.replace("היום".encode(), "הערב".encode())
    assert forged != member and len(forged) == len(member)
    rewrite(path, original[:start] + gzip.compress(forged) + original[end:])
    problems = messages(verify(workspace))
    about_hebrew = [p for p in problems if p.startswith(f"capture {hebrew.id} ")]
    assert any("was altered: its payload hashes to" in p for p in about_hebrew)
    assert any("fails its own digest check" in p for p in about_hebrew)
    # The re-gzipped member changed length, so records after it moved: they are reported too.
    others = [p for p in problems if p not in about_hebrew and not p.startswith("WARC file")]
    assert all("unreadable" in p for p in others), others
    # Reading the whole file names the forged record by its failed digest.
    assert any(p.startswith("WARC file") and "fails its digest" in p for p in problems)


def test_a_corrupted_warc_file_is_reported(workspace: Workspace, tmp_path: Path) -> None:
    hebrew, arabic, _failed = ingest_two(workspace, tmp_path)
    path = workspace.settings.warc_dir / str(arabic.warc_filename)
    start, end = record_bounds(path, int(arabic.warc_offset or 0))
    data = bytearray(path.read_bytes())
    # The middle of the member is compressed record bytes whatever the gzip header held (its
    # time, its flags). How the damage shows (unreadable, another record id, a failed digest,
    # an altered payload) depends on what the byte meant to the decompressor: any will do, as
    # long as it is this record's WARC evidence that is reported.
    data[(start + end) // 2] ^= 0xFF
    rewrite(path, bytes(data))
    problems = messages(verify(workspace))
    about_arabic = [p for p in problems if p.startswith(f"capture {arabic.id} ")]
    assert about_arabic, problems
    assert all("WARC record at" in p for p in about_arabic), about_arabic
    assert not any(p.startswith(f"capture {hebrew.id} ") for p in problems), problems


def test_edited_rows_are_reported(workspace: Workspace, tmp_path: Path) -> None:
    hebrew, arabic, _failed = ingest_two(workspace, tmp_path)
    with workspace.database.session() as session:
        session.execute(text("UPDATE custody_log SET actor = 'nobody' WHERE seq = 3"))
        session.execute(
            text("UPDATE captures SET sha256 = :fake WHERE id = :id"),
            {"fake": "f" * 64, "id": arabic.id},
        )
    problems = messages(verify(workspace))
    assert "custody seq 3: custody entry 3 was altered" in " ".join(problems)
    assert any(
        p.startswith(f"capture {arabic.id} ") and "capture row was altered" in p for p in problems
    )
    assert not any(p.startswith(f"capture {hebrew.id} ") for p in problems)


def _members(path: Path) -> list[tuple[str, int, int]]:
    with path.open("rb") as handle:
        iterator = ArchiveIterator(handle)
        bounds = []
        for record in iterator:
            iterator.read_to_end(record)
            bounds.append(
                (record.rec_type, iterator.get_record_offset(), iterator.get_record_length())
            )
        return bounds


def _file_problems(report: VerifyReport, path: Path) -> list[str]:
    return [f.message for f in report.problems if f.subject == f"WARC file {path.name}"]


@pytest.mark.adversarial
def test_a_flipped_byte_in_a_metadata_record_is_reported(
    workspace: Workspace, tmp_path: Path
) -> None:
    """No capture row points at a metadata record: only reading the whole file finds it."""
    hebrew, _arabic, _failed = ingest_two(workspace, tmp_path)
    path = workspace.settings.warc_dir / str(hebrew.warc_filename)
    _type, start, length = next(b for b in _members(path) if b[0] == "metadata")
    data = bytearray(path.read_bytes())
    data[start + length // 2] ^= 0xFF
    rewrite(path, bytes(data))
    report = verify(workspace)
    assert report.warc_files == 1
    # What zlib says depends on what the flipped byte was in the deflate stream (a checksum, a
    # distance, a block type), and the stream differs from run to run (its record holds times).
    (problem,) = _file_problems(report, path)
    assert problem.startswith(f"the gzip member at byte {start} is damaged (")


@pytest.mark.adversarial
def test_a_truncated_warc_file_is_reported(workspace: Workspace, tmp_path: Path) -> None:
    hebrew, _arabic, _failed = ingest_two(workspace, tmp_path)
    path = workspace.settings.warc_dir / str(hebrew.warc_filename)
    data = path.read_bytes()
    last_start = _members(path)[-1][1]
    rewrite(path, data[:-300])
    problems = _file_problems(verify(workspace), path)
    assert problems == [
        f"the file ends inside the gzip member at byte {last_start}: it was cut short"
    ]


@pytest.mark.adversarial
@pytest.mark.parametrize(
    ("garbage", "expected"),
    [
        (b"<html>appended</html>\n", "22 bytes after the last record are no WARC record"),
        # mtime=0: the same bytes in every process, so every xdist worker collects one test.
        (gzip.compress(b"not a WARC record\r\n\r\n", mtime=0), "unreadable after byte"),
    ],
    ids=["text", "gzip-member"],
)
def test_garbage_after_the_last_record_is_reported(
    workspace: Workspace, tmp_path: Path, garbage: bytes, expected: str
) -> None:
    hebrew, _arabic, _failed = ingest_two(workspace, tmp_path)
    path = workspace.settings.warc_dir / str(hebrew.warc_filename)
    rewrite(path, path.read_bytes() + garbage)
    problems = _file_problems(verify(workspace), path)
    assert len(problems) == 1 and problems[0].startswith(expected), problems
