"""`marsad source add|list|enable|disable`, `marsad crawl` and `marsad status` as a user runs
them: real processes, a real home, a real HTTP server on 127.0.0.1 — and a crawl killed with
SIGKILL mid-run."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from marsad.cli.app import app
from marsad.config import Settings
from marsad.preserve.blobs import BlobStore
from tests.alert.receiver import Receiver
from tests.commandline import marsad_for
from tests.interrupting import INTERRUPTING
from tests.media.statements import ARABIC, statement_png
from tests.webserver import LocalSite, Route, local_site

HTML = {"Content-Type": "text/html; charset=utf-8"}
# Loopback is allowed only for these tests; no spacing, one try, so the crawl is quick.
CRAWL_ENV = {
    "MARSAD_FETCH_ALLOW_LOOPBACK": "1",
    "MARSAD_FETCH_HOST_INTERVAL": "0",
    "MARSAD_FETCH_ATTEMPTS": "1",
    "MARSAD_FETCH_TIMEOUT": "5",
    "COLUMNS": "250",
}


def marsad(home: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    settings = Settings.from_env({"MARSAD_HOME": str(home)})
    return marsad_for(settings, *args, check=check, extra_env=CRAWL_ENV)


def article(number: int, delay: float = 0.0) -> Route:
    text = (
        f"<html><head><title>خبر رقم {number}</title></head><body><h1>خبر رقم {number}</h1>"
        f"<p>افتتحت البلدية اليوم المرحلة {number} من مشروع تحسين الطرق في المدينة.</p>"
        "</body></html>"
    )
    return Route(body=text.encode(), headers=HTML, delay=delay)


def news_site(pages: int, delay: float = 0.0) -> dict[str, Route]:
    links = "".join(f'<a href="/news/{number}">{number}</a>' for number in range(pages))
    start = Route(body=f"<html><body>{links}</body></html>".encode(), headers=HTML)
    return {"/": start, **{f"/news/{number}": article(number, delay) for number in range(pages)}}


def table_rows(output: str) -> dict[str, list[str]]:
    """The cells of a rich table's rows, by their first cell."""
    rows = {}
    for line in output.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("│").split("│")]
        if len(cells) > 1 and cells[0]:
            rows[cells[0]] = cells
    return rows


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    marsad(home, "init")
    return home


def test_sources_are_added_listed_crawled_and_a_failing_one_reported(home: Path) -> None:
    with local_site(news_site(3)) as site:
        marsad(home, "source", "add", "web", site.url("/"), "--name", "city news", "--every", "2h")
        marsad(home, "source", "add", "web", site.url("/gone/"), "--name", "gone site")
        crawl = marsad(home, "crawl")
        again = marsad(home, "crawl")
    assert "city news: 4 new, 0 unchanged, 0 not captured" in crawl.stdout
    assert "gone site: 0 new" in crawl.stdout and "FAILED:" in crawl.stdout
    assert "crawled 2 sources: 4 new, 0 unchanged, 1 not captured; 1 sources failed" in (
        crawl.stdout
    )
    assert "no source is due" in again.stdout
    rows = table_rows(marsad(home, "source", "list").stdout)
    assert rows["city news"][3:5] == ["2h", "yes"] and rows["city news"][-1] == "4"
    assert rows["city news"][6:8] == ["", "—"]  # no error, no backoff
    gone = rows["gone site"]
    assert gone[5] == "—" and "HTTP 404" in gone[6] and gone[7].startswith("20")
    status = marsad(home, "status").stdout
    assert "source failing gone site (1x, next try after" in status and "HTTP 404" in status
    assert "city news" not in status


RunCommand = Callable[..., str]


@pytest.fixture
def run(tmp_path: Path) -> RunCommand:
    """`marsad ARGS` in this process (the same app as `python -m marsad`, without the seconds a
    new process takes to start), on a fresh home; returns what it printed."""
    runner = CliRunner(
        env={**CRAWL_ENV, "MARSAD_HOME": str(tmp_path / "home"), "MARSAD_DATABASE_URL": None}
    )

    def run_command(*args: str) -> str:
        result = runner.invoke(app, list(args))
        assert result.exit_code == 0, result.output
        return result.stdout

    run_command("init")
    return run_command


def test_disabled_source_is_not_crawled(run: RunCommand) -> None:
    with local_site(news_site(1)) as site:
        run("source", "add", "web", site.url("/"), "--name", "city news")
        assert "disabled source 'city news'" in run("source", "disable", "city news")
        assert "no source is due" in run("crawl")
        assert site.requests == []
        run("source", "enable", "city news")
        assert "city news: 2 new" in run("crawl")


def test_ignore_robots_is_kept_with_the_source(run: RunCommand) -> None:
    robots = Route(
        body=b"User-agent: *\nDisallow: /news/\n", headers={"Content-Type": "text/plain"}
    )
    with local_site({**news_site(2), "/robots.txt": robots}) as site:
        run("source", "add", "web", site.url("/"), "--name", "polite")
        run("source", "add", "web", site.url("/"), "--name", "told", "--ignore-robots")
        output = run("crawl")
    assert "polite: 1 new, 0 unchanged, 2 not captured" in output
    assert "told: 2 new" in output  # the start page is the same capture for both
    assert site.hits("/news/0") == 1 and site.hits("/news/1") == 1


def test_media_option_is_kept_with_the_source(run: RunCommand) -> None:
    picture = Route(body=statement_png(ARABIC), headers={"Content-Type": "image/png"})
    page = Route(
        body=b'<html><body><p>news</p><img src="/media/poster.png"></body></html>',
        headers={"Content-Type": "text/html; charset=utf-8"},
    )
    with local_site({"/": page, "/media/poster.png": picture}) as site:
        run("source", "add", "web", site.url("/"), "--name", "plain")
        run("source", "add", "web", site.url("/"), "--name", "with media", "--media")
        run("crawl")
    assert site.hits("/media/poster.png") == 1  # by the source with --media, once


BAD_COMMANDS = [
    (("add", "rss", "http://a.example/", "--name", "x"), "unknown source kind 'rss'"),
    (("add", "web", "http://a.example/", "--name", "x", "--every", "soon"), "not an interval"),
    (("add", "web", "/etc", "--name", "x"), "needs an http(s) URL"),
    (("add", "feed", "http://a.example/f", "--name", "x", "--scope", "/a/"), "web sources only"),
    (("add", "web", "http://a.example/", "--name", "x", "--scope", "news"), "--scope"),
    (("add", "telegram", "somechannel", "--name", "x", "--media"), "--media applies to web"),
    (("add", "feed", "http://b.example/f", "--name", "same"), "'same' exists already"),
    (("disable", "nobody"), "no source named 'nobody'"),
]


def test_bad_source_commands_are_one_line_errors(tmp_path: Path) -> None:
    home = tmp_path / "home"
    runner = CliRunner(env={**CRAWL_ENV, "MARSAD_HOME": str(home), "MARSAD_DATABASE_URL": None})
    assert runner.invoke(app, ["init"]).exit_code == 0
    added = runner.invoke(app, ["source", "add", "web", "http://a.example/", "--name", "same"])
    assert added.exit_code == 0, added.output
    for args, message in BAD_COMMANDS:
        result = runner.invoke(app, ["source", *args])
        assert result.exit_code == 1, args
        assert result.stderr.strip().splitlines() == [result.stderr.strip()], args
        assert message in result.stderr and "Traceback" not in result.output, args
    listing = runner.invoke(app, ["source", "list"]).stdout
    assert "same" in listing and "│ x " not in listing


def assert_captures_intact(home: Path) -> list[str]:
    """Every committed capture has its blob with the recorded hash; returns their URLs."""
    with sqlite3.connect(home / "marsad.db") as connection:
        rows = connection.execute(
            "SELECT url, sha256, blob_key FROM captures WHERE error IS NULL"
        ).fetchall()
    blobs = BlobStore(Settings.from_env({"MARSAD_HOME": str(home)}).blob_dir)
    for url, sha256, blob_key in rows:
        data = blobs.read(blob_key)  # raises BlobMissing
        assert hashlib.sha256(data).hexdigest() == sha256, f"blob of {url} altered"
    return [url for url, _sha256, _key in rows]


def start_crawl(home: Path, kill_9_at: str) -> subprocess.Popen[str]:
    """`marsad crawl` in its own process group, which kills itself with SIGKILL when the crawl
    reaches `kill_9_at` ("POINT=N", see tests/interrupting.py)."""
    env = {**os.environ, **CRAWL_ENV, "MARSAD_HOME": str(home)}
    env.pop("MARSAD_DATABASE_URL", None)
    return subprocess.Popen(
        [sys.executable, str(INTERRUPTING), "--kill-group", kill_9_at, "--", "crawl"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )


def article_hits(site: LocalSite) -> Counter[str]:
    return Counter(path for path, _headers in site.requests if path.startswith("/news/"))


def test_crawl_killed_mid_run_loses_nothing_and_resumes_without_duplicates(home: Path) -> None:
    pages = 30
    with local_site(news_site(pages, delay=0.15)) as site:
        marsad(home, "source", "add", "web", site.url("/"), "--name", "slow news")
        # Killed right after its eighth unit of work committed, the same point on every run.
        process = start_crawl(home, kill_9_at="after-commit=8")
        process.wait(timeout=120)
        assert process.returncode == -signal.SIGKILL
        before_restart = assert_captures_intact(home)
        assert 0 < len(before_restart) <= 8
        marsad(home, "crawl")
    after = assert_captures_intact(home)
    assert Counter(after) == Counter({site.url("/"): 1} | {
        site.url(f"/news/{number}"): 1 for number in range(pages)
    })  # fmt: skip
    assert set(before_restart) <= set(after)
    # Pages committed before the kill were not fetched again; at most the one in flight was.
    hits = article_hits(site)
    committed = [url.removeprefix(site.base_url) for url in before_restart if "/news/" in url]
    assert all(hits[path] == 1 for path in committed)
    assert sum(hits.values()) <= pages + 1
    # Blobs, WARC records and the custody chain all check out.
    verify = marsad(home, "verify")
    assert f"verified {pages + 1} captures: {pages + 1} blobs, {pages + 1} WARC records" in (
        verify.stdout
    )
    assert "0 problems" in verify.stdout and "all evidence intact" in verify.stdout


def test_crawl_loop_sends_an_immediate_alert_after_the_round_that_captured_its_page(
    home: Path,
) -> None:
    receiver = Receiver().start()
    try:
        with local_site(news_site(2)) as site:
            marsad(home, "source", "add", "web", site.url("/"), "--name", "city news")
            marsad(home, "alerts", "add", "roads", "--keyword", "المرحلة 1",
                   "--webhook", receiver.url)  # fmt: skip
            env = {**os.environ, **CRAWL_ENV, "MARSAD_HOME": str(home)}
            env.pop("MARSAD_DATABASE_URL", None)
            loop = subprocess.Popen(
                [sys.executable, "-m", "marsad", "crawl", "--loop"],
                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            )  # fmt: skip
            try:
                # Waits for the alert to be sent and recorded (the loop never ends by itself);
                # no timing is asserted.
                deadline = time.monotonic() + 150
                while delivery_states(home) != [("delivered", 1)] and loop.poll() is None:
                    assert time.monotonic() < deadline, "no alert delivered within 150 s"
                    time.sleep(0.2)
            finally:
                loop.send_signal(signal.SIGTERM)
                _output, errors = loop.communicate(timeout=60)
    finally:
        receiver.stop()
    assert loop.returncode == 130, errors
    (request,) = receiver.received
    alert = json.loads(request.body)
    assert alert["item"]["url"] == site.url("/news/1")


def delivery_states(home: Path) -> list[tuple[str, int]]:
    with sqlite3.connect(home / "marsad.db") as connection:
        return connection.execute("SELECT status, attempts FROM alert_deliveries").fetchall()
