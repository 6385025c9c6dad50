"""Every WARC/ARC reader fixture of warcio (../shared/eval/warc: good files, ARC files and
deliberately broken ones) imported into a real workspace: each gives the records it really
holds, or one-line failures with a byte offset inside the file, and never a crash.

The files are read where they are at run time (never copied into fixtures).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from marsad.config import Settings
from marsad.pipeline.ingest import Ingestor
from marsad.store.models import Capture
from marsad.workspace import Workspace
from tests.commandline import marsad_for

EVAL_WARC = Path(__file__).resolve().parents[2].parent / "shared" / "eval" / "warc"

pytestmark = pytest.mark.skipif(
    not EVAL_WARC.is_dir(),
    reason=f"warcio's WARC/ARC fixtures not present at {EVAL_WARC} (../shared/eval/warc)",
)

# File -> (records captured, records lost with a failure). Request, revisit, metadata and
# warcinfo records are not captures; the counts come from reading each file's records.
EXPECTED = {
    "bad.arc": (1, 2),  # two ARC records declare the lengths -1 and "abc"
    "example-bad-non-chunked.warc.gz": (1, 0),  # one gzip stream, not one member per record
    "example-bad.warc.gz.bad": (2, 0),  # the same, under a name that hides it
    "example-digest.warc": (0, 0),  # request records only
    "example-iana.org-chunked.warc": (1, 0),
    "example-resource.warc.gz": (1, 0),
    "example-space-in-target-uri.warc.gz": (1, 0),
    "example-space-in-url.arc": (0, 1),  # 12 bytes fewer than its ARC header declares
    "example-trunc.warc": (0, 1),  # the response is cut: its digests do not match
    "example-wget-bad-target-uri.warc.gz": (1, 0),
    "example-wrong-chunks.warc.gz": (0, 2),  # a truncated member, then HTML
    "example.arc": (1, 0),
    "example.arc.gz": (1, 0),
    "example.warc": (1, 0),
    "example.warc.gz": (1, 0),
    "post-test.warc.gz": (3, 0),
}
OFFSET = re.compile(r"(?:byte |offset=)(-?\d+)")


def archive_files() -> list[Path]:
    if not EVAL_WARC.is_dir():
        return []
    return sorted(path for path in EVAL_WARC.iterdir() if not path.name.startswith("LICENSE"))


@pytest.mark.parametrize("path", archive_files(), ids=lambda path: path.name)
def test_every_archive_imports_its_records_or_says_where_it_is_damaged(
    workspace: Workspace, path: Path
) -> None:
    summary = Ingestor(workspace).capture([str(path)])
    captured = summary.new_captures + summary.unchanged
    failures = [error for _url, error in summary.failed_captures]
    for error in failures:
        assert "\n" not in error and path.name in error, error
        offsets = [int(found) for found in OFFSET.findall(error)]
        assert offsets and all(0 <= offset <= path.stat().st_size for offset in offsets), error
    assert summary.archive_records_lost == len(failures)
    if path.name in EXPECTED:
        assert (captured, len(failures)) == EXPECTED[path.name], failures
    # Again: nothing new, the same failures (not recorded twice).
    again = Ingestor(workspace).capture([str(path)])
    assert again.new_captures == 0 and again.unchanged == captured


def test_an_arc_record_keeps_its_archived_url_and_date(workspace: Workspace) -> None:
    for name in ("example.arc", "example.arc.gz"):
        Ingestor(workspace).capture([str(EVAL_WARC / name)])
    with workspace.database.session() as session:
        captures = session.scalars(select(Capture).where(Capture.error.is_(None))).all()
        assert {capture.url for capture in captures} == {"http://example.com/"}
        for capture in captures:
            assert capture.http_status == 200 and capture.fetched_at.year == 2014
            assert capture.fetched_at.replace(tzinfo=UTC) < datetime(2015, 1, 1, tzinfo=UTC)


def test_the_command_exits_non_zero_when_records_were_lost(settings: Settings) -> None:
    marsad_for(settings, "init")
    whole = marsad_for(settings, "ingest", str(EVAL_WARC / "example.warc.gz"))
    assert "ingested: 1 new" in whole.stdout
    damaged = marsad_for(
        settings, "ingest", str(EVAL_WARC / "example-wrong-chunks.warc.gz"), check=False
    )
    assert damaged.returncode == 1
    lines = [line for line in damaged.stdout.splitlines() if line.startswith("  not captured")]
    assert len(lines) == 2 and all("example-wrong-chunks.warc.gz" in line for line in lines)
    assert "Traceback" not in damaged.stderr
