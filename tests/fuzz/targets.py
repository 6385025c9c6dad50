"""The parsers that read hostile input, each wrapped as one function of bytes.

The contract every target checks: whatever the bytes, the parser either gives a result or
raises a MarsadError (a clear, recorded failure) — never any other exception, never a hang.
Used by the property tests (hypothesis) and by the coverage-guided fuzzer (atheris).
"""

from __future__ import annotations

import contextlib
import datetime
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

from marsad.collect.content import RawContent
from marsad.collect.feeds import feed_items
from marsad.collect.fetcher import Fetcher
from marsad.collect.kinds import CollectContext
from marsad.collect.telegram import parse_channel_page
from marsad.collect.telegram_export import TelegramExportCollector
from marsad.collect.warc import warc_attempts
from marsad.config import Settings
from marsad.datafiles import DEMO_DIR
from marsad.errors import MarsadError
from marsad.text.dates import default_date_extractor
from marsad.text.decode import decode_content
from marsad.text.extract import extract_html

SEEDS = Path(__file__).parent / "seeds"
ANCHOR = datetime.date(2020, 1, 15)


@cache
def _scratch() -> Path:
    return Path(tempfile.mkdtemp(prefix="marsad-fuzz-"))


@cache
def _settings() -> Settings:
    return Settings.from_env({"MARSAD_HOME": str(_scratch() / "home")})


def feed(data: bytes) -> None:
    feed_items(RawContent("https://feeds.example.org/rss.xml", data, "application/rss+xml"))


def telegram_page(data: bytes) -> None:
    parse_channel_page(data, "text/html", "https://t.me/s/example", "https://t.me")


@cache
def _context() -> CollectContext:
    """One context for every call (the export collector never fetches; opening a fetcher per
    call would only slow the fuzzer down)."""
    settings = _settings()
    return CollectContext(fetcher=Fetcher(settings), settings=settings, state={})


def telegram_export(data: bytes) -> None:
    folder = _scratch() / "export"
    folder.mkdir(exist_ok=True)
    (folder / "result.json").write_bytes(data)
    for _url, read in TelegramExportCollector().attempts(str(folder), _context()):
        _swallow(read)


def warc(data: bytes) -> None:
    path = _scratch() / "input.warc.gz"
    path.write_bytes(data)
    for _url, read in warc_attempts(path, 1024 * 1024):
        _swallow(read)


def html_page(data: bytes) -> None:
    decoded = decode_content(data, None)
    extract_html(decoded.text, "https://news.example.org/article")


def dates(data: bytes) -> None:
    text = data.decode("utf-8", errors="replace")
    for language in ("ar", "fa", "he", "en", None):
        for found in default_date_extractor().find_dates(text, language, ANCHOR):
            assert 0 <= found.start <= found.end <= len(text), found


def _swallow(read: Callable[[], object]) -> None:
    with contextlib.suppress(MarsadError):
        read()


TARGETS: dict[str, Callable[[bytes], None]] = {
    "feed": feed,
    "telegram_page": telegram_page,
    "telegram_export": telegram_export,
    "warc": warc,
    "html_page": html_page,
    "dates": dates,
}


def run_target(name: str, data: bytes) -> None:
    """Run one target; a MarsadError is the expected way to refuse bad input."""
    with contextlib.suppress(MarsadError):
        TARGETS[name](data)


CRASHES = Path(__file__).parent / "crashes"


def crashes() -> list[tuple[str, Path]]:
    """Inputs the fuzzer once crashed a parser with (crashes/<target>-<what>), kept as
    regression tests once fixed."""
    return [(path.name.split("-")[0], path) for path in sorted(CRASHES.glob("*"))]


TELEGRAM_FIXTURES = Path(__file__).parents[1] / "collect" / "fixtures" / "telegram"
# Valid inputs the project already has, besides the ones under seeds/<target>/.
EXISTING_SEEDS: dict[str, list[Path]] = {
    "html_page": [
        DEMO_DIR / "ar-01-nujaba-leaders-meeting.html",
        DEMO_DIR / "he-03-shin-bet-arrests-tu-bishvat.html",
        DEMO_DIR / "ar-09-cp1256-legacy-encoding.html",
    ],
    "telegram_page": [TELEGRAM_FIXTURES / "page-newest.html"],
    "telegram_export": [TELEGRAM_FIXTURES / "export-result.json"],
}


def seeds(name: str) -> list[bytes]:
    """Valid inputs to start from: files under seeds/<target>/ and the project's own."""
    folder = SEEDS / name
    paths = sorted(folder.glob("*")) if folder.is_dir() else []
    return [path.read_bytes() for path in [*paths, *EXISTING_SEEDS.get(name, [])]]
