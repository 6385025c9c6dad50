"""The `marsad` command as a user runs it: a real process, real home, real exit codes; on
the default home (SQLite inside it) and on each backend named by MARSAD_DATABASE_URL."""

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from marsad.config import Settings
from marsad.export.records import EXPORT_FIELDS
from marsad.pipeline.registry import StageRegistry
from tests.commandline import marsad_for, marsad_here
from tests.conftest import database_for, make_settings
from tests.interrupting import INTERRUPTING

PAGE = (
    '<!DOCTYPE html><html lang="he" dir="rtl"><head><meta charset="utf-8">'
    "<title>אתר חדש</title></head><body><nav><a href='/'>ראשי</a></nav><article>"
    "<h1>הארגון השיק אתר אינטרנט חדש בעברית</h1><p>הארגון הודיע היום על השקת אתר אינטרנט "
    "חדש בשפה העברית, כך לפי הודעה שפורסמה בערוץ הטלגרם שלו. לדברי ההודעה, האתר יפרסם "
    "הודעות רשמיות ועדכונים שוטפים.</p></article><footer>כל הזכויות שמורות</footer></body></html>"
)


def marsad(home: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """`marsad ARGS` on the default home at `home`: no database URL, as after `make run`."""
    env = {**os.environ, "MARSAD_HOME": str(home), "COLUMNS": "200"}
    env.pop("MARSAD_DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "marsad", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"marsad {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


@pytest.fixture
def home(tmp_path: Path, database_url: str) -> Settings:
    """A home made by `marsad init`, on each backend."""
    settings = make_settings(tmp_path / "home", database_url)
    marsad_here(settings, "init")
    return settings


@pytest.fixture(scope="module")
def empty_home(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """An initialised home with nothing in it, shared by the module's read-only tests."""
    folder = tmp_path_factory.mktemp("empty")
    with database_for(backend, folder) as url:
        settings = make_settings(folder / "home", url)
        marsad_for(settings, "init")
        yield settings


def test_every_command_has_help(tmp_path: Path) -> None:
    for command in ("init", "ingest", "run", "status", "stages", "export"):
        result = marsad(tmp_path, command, "--help")
        assert "Usage" in result.stdout and "--help" in result.stdout


def test_init_ingest_status_export(home: Settings, tmp_path: Path) -> None:
    page = tmp_path / "site.html"
    page.write_text(PAGE, encoding="utf-8")
    ingest = marsad_for(home, "ingest", str(page), "--source", "hebrew site")
    stages = len(StageRegistry.from_entry_points().names())
    expected = f"ingested: 1 new, 0 unchanged, 0 not captured; stages: {stages} ok, 0 failed"
    assert expected in ingest.stdout
    status = marsad_for(home, "status")
    assert "captures 1 (0 failed) · documents 1" in status.stdout
    assert "languages: he 1" in status.stdout
    exported = marsad_for(home, "export", "documents")
    (record,) = [json.loads(line) for line in exported.stdout.splitlines()]
    assert list(record) == list(EXPORT_FIELDS["documents"])
    assert record["title"] == "הארגון השיק אתר אינטרנט חדש בעברית" and record["language"] == "he"
    assert "exported 1 documents" in exported.stderr


@pytest.mark.parametrize("kind", list(EXPORT_FIELDS))
def test_every_export_kind_writes_its_documented_columns(
    empty_home: Settings, kind: str, tmp_path: Path
) -> None:
    target = tmp_path / f"{kind}.csv"
    marsad_for(empty_home, "export", kind, "--format", "csv", "-o", str(target))
    assert target.read_text(encoding="utf-8").splitlines()[0] == ",".join(EXPORT_FIELDS[kind])
    assert not list(tmp_path.glob("*.partial"))


def test_errors_are_one_line_without_traceback(tmp_path: Path) -> None:
    missing = marsad(tmp_path / "absent", "status", check=False)
    assert missing.returncode == 1
    assert missing.stderr.strip().splitlines() == [
        f"error: no database at {tmp_path / 'absent' / 'marsad.db'}: run `marsad init` first"
    ]
    env_error = subprocess.run(
        [sys.executable, "-m", "marsad", "status"],
        capture_output=True,
        text=True,
        env={**os.environ, "MARSAD_DATABASE_URL": "mysql://root@localhost/x"},
    )
    assert env_error.returncode == 1 and "Traceback" not in env_error.stderr
    assert "supported: sqlite, postgresql" in env_error.stderr


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    result = marsad(tmp_path / "absent", "--debug", "status", check=False)
    assert result.returncode != 0 and "Traceback" in result.stderr


def test_unknown_export_kind_and_format(empty_home: Settings) -> None:
    kind = marsad_for(empty_home, "export", "tweets", check=False)
    assert kind.returncode == 1 and "unknown export kind 'tweets'" in kind.stderr
    fmt = marsad_for(empty_home, "export", "documents", "--format", "xml", check=False)
    assert fmt.returncode == 1 and "unknown format 'xml'" in fmt.stderr


def test_run_retry_failed_after_fixing_a_setting(home: Settings, tmp_path: Path) -> None:
    page = tmp_path / "site.html"
    page.write_text(PAGE, encoding="utf-8")
    marsad_for(home, "ingest", str(page), extra_env={"MARSAD_EXTRACT_MAX_BYTES": "100"})
    status = marsad_for(home, "status")
    assert "over the extraction limit" in status.stdout
    assert "marsad run --retry-failed" in status.stdout
    assert "1 failed" not in marsad_for(home, "run").stdout.replace("0 failed", "")  # not retried
    rerun = marsad_for(home, "run", "--retry-failed")
    stages = len(StageRegistry.from_entry_points().names())
    assert f"{stages} stage runs ok, 0 failed" in rerun.stdout


INBOX = 6  # files: 6 capture units of work, then one per stage and document
# Where the signal lands (see interrupting.py): between captures, inside a commit, inside a
# stage, and a second signal inside the rollback of the unit the first one cut short.
INTERRUPTION_POINTS = [
    ("after-commit=1",),
    ("before-commit=4",),
    ("flush=2",),
    ("after-commit=11",),  # the stages have begun
    ("stage.link=5",),
    ("stage.events=1", "rollback=1"),
    ("flush=40", "rollback=1"),
]


def _inbox(folder: Path) -> Path:
    folder.mkdir()
    for number in range(INBOX):
        (folder / f"{number:03}.html").write_text(PAGE.replace("היום", f"היום {number}"), "utf-8")
    return folder


@pytest.mark.parametrize("points", INTERRUPTION_POINTS, ids=lambda points: "+".join(points))
def test_sigterm_anywhere_in_ingest_exits_130_and_a_rerun_completes(
    home: Settings, tmp_path: Path, points: tuple[str, ...]
) -> None:
    inbox = _inbox(tmp_path / "inbox")
    env = {**os.environ, "MARSAD_HOME": str(home.home), "MARSAD_DATABASE_URL": home.database_url}
    interrupted = subprocess.run(
        [sys.executable, str(INTERRUPTING), *points, "--", "ingest", str(inbox)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert interrupted.returncode == 130, interrupted.stderr
    assert interrupted.stderr.strip().splitlines()[-1:] == [
        "interrupted: work committed so far is kept"
    ], interrupted.stderr
    assert "Traceback" not in interrupted.stderr and "unexpected" not in interrupted.stderr
    assert "0 problems" in marsad_here(home, "verify")  # evidence on disk agrees with the DB
    # Re-running the same command finishes the job, without duplicating anything.
    marsad_here(home, "ingest", str(inbox))
    status = marsad_here(home, "status")
    assert f"captures {INBOX} (0 failed) · documents {INBOX}" in status, status
    rerun = marsad_here(home, "run")
    assert "0 stage runs ok, 0 failed, 0 waiting" in rerun, rerun


def test_sigterm_in_a_crawl_and_in_a_forced_run_exits_130_and_a_rerun_completes(
    home: Settings, tmp_path: Path
) -> None:
    inbox = _inbox(tmp_path / "inbox")
    marsad_here(home, "source", "add", "files", str(inbox), "--name", "inbox")
    env = {**os.environ, "MARSAD_HOME": str(home.home), "MARSAD_DATABASE_URL": home.database_url}
    for point, command in (("after-commit=4", ("crawl",)), ("stage.dates=3", ("run", "--force"))):
        interrupted = subprocess.run(
            [sys.executable, str(INTERRUPTING), point, "--", *command],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert interrupted.returncode == 130, interrupted.stderr
        assert "interrupted: work committed so far is kept" in interrupted.stderr
        assert "Traceback" not in interrupted.stderr and "unexpected" not in interrupted.stderr
        if command == ("crawl",):  # the source is not left leased: the next crawl takes it
            assert "0 sources failed" in marsad_here(home, "crawl")
    status = marsad_here(home, "status")
    assert f"captures {INBOX} (0 failed) · documents {INBOX}" in status, status
    assert "0 stage runs ok, 0 failed, 0 waiting" in marsad_here(home, "run")
    assert "0 problems" in marsad_here(home, "verify")
