"""Telegram Desktop export import: Marsad's streamed collector against a plain `json.load`.

A synthetic export of --messages messages (Arabic, Farsi, Hebrew and English news-style text,
rich-text entity arrays, forwarded posts, photos and files, a few service messages) is written
to a temporary `result.json`, then each side runs in its own process so its peak memory is its
own (ru_maxrss of the child):
  baseline  json.load of the whole file and a walk over the messages (what "just read it" costs)
  marsad    the real `telegram-export` collector into a fresh SQLite home: streamed parse
            (ijson), chunked captures (blob store, WARC records, custody log), one Document per
            message with its date, author and forwarded-from (the pipeline stages are not run)
Figures: messages/s, wall seconds and peak RSS for both (both children load the same modules,
so the interpreter and libraries, about 100 MB, are in both peaks); the issue's targets are
< 60 s and < 500 MB peak for 100,000 messages.

    .venv/bin/python bench/bench_telegram_export.py [--messages 100000] [--database-url URL]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from marsad.collect.fetcher import Fetcher
from marsad.collect.kinds import CollectContext
from marsad.collect.telegram_export import TelegramExportCollector
from marsad.config import Settings
from marsad.pipeline.ingest import Ingestor, IngestSummary
from marsad.store.models import Capture, Document, Source
from marsad.workspace import Workspace

TARGET_SECONDS = 60.0
TARGET_PEAK_MB = 500.0
CHANNEL_ID = 1555000111
START_UNIXTIME = 1_780_000_000
SENTENCES = (
    "أعلنت البلدية افتتاح مكتبة عامة جديدة في وسط المدينة يوم الخميس.",
    "قالت وزارة الصحة إن حملة التطعيم ستستمر حتى نهاية الشهر المقبل.",
    "شهرداری اعلام کرد که خط جدید اتوبوس از هفته آینده راه‌اندازی می‌شود.",
    "نمایشگاه کتاب امسال با حضور ناشران داخلی و خارجی برگزار خواهد شد.",
    "העירייה הודיעה על פתיחת גן ציבורי חדש בשכונה הצפונית.",
    "משרד התחבורה פרסם לוח זמנים מעודכן לרכבות בסוף השבוע.",
    "The regional council approved the new water network budget on Tuesday.",
    "Organisers said the football tournament will open next month with twelve teams.",
)
FORWARD_SOURCES = ("City Desk Demo", "Regional News Demo", "قناة الأخبار التجريبية")


def message_text(number: int, rng: random.Random) -> str | list[Any]:
    """Plain text for most messages; every third one a rich-text entity array."""
    sentence = SENTENCES[number % len(SENTENCES)]
    if number % 3:
        return f"{sentence} ({number})"
    return [
        {"type": "bold", "text": f"#{number} "},
        sentence,
        " ",
        {"type": "text_link", "text": "المزيد", "href": f"https://news.example.org/{number}"},
        " ",
        {"type": "hashtag", "text": "#demo"},
        " via ",
        {"type": "mention", "text": "@city_desk_demo"},
        f" {rng.randint(1, 999)}",
    ]


def synthetic_message(number: int, rng: random.Random) -> dict[str, Any]:
    unixtime = START_UNIXTIME + number * 37
    moment = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(unixtime))
    if number % 500 == 0:
        return {
            "id": number,
            "type": "service",
            "date": moment,
            "date_unixtime": str(unixtime),
            "actor": "Marsad Bench Channel",
            "action": "pin_message",
            "message_id": number - 1,
            "text": "",
            "text_entities": [],
        }
    message: dict[str, Any] = {
        "id": number,
        "type": "message",
        "date": moment,
        "date_unixtime": str(unixtime),
        "from": "Marsad Bench Channel",
        "from_id": f"channel{CHANNEL_ID}",
        "text": message_text(number, rng),
        "text_entities": [],
    }
    if number % 7 == 0:
        message["forwarded_from"] = FORWARD_SOURCES[number % len(FORWARD_SOURCES)]
    if number % 5 == 0:
        message["photo"] = f"photos/photo_{number}@01-01-2026_00-00-00.jpg"
        message.update(width=1280, height=720)
    elif number % 11 == 0:
        message["file"] = f"files/report_{number}.pdf"
        message["mime_type"] = "application/pdf"
    if number % 13 == 0:
        message["author"] = "Night Desk"
    return message


def synthetic_messages(count: int) -> Iterator[dict[str, Any]]:
    rng = random.Random(20261125)
    for number in range(1, count + 1):
        yield synthetic_message(number, rng)


def write_export(path: Path, count: int) -> None:
    """Written message by message, so generating the file does not need it in memory."""
    header = {"name": "Marsad Bench Channel", "type": "public_channel", "id": CHANNEL_ID}
    with path.open("w", encoding="utf-8") as out:
        out.write(json.dumps(header, ensure_ascii=False, indent=1)[:-2] + ',\n "messages": [\n')
        for index, message in enumerate(synthetic_messages(count)):
            out.write(("" if index == 0 else ",\n") + json.dumps(message, ensure_ascii=False))
        out.write("\n ]\n}\n")


def peak_megabytes() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def run_baseline(path: Path) -> dict[str, Any]:
    began = time.perf_counter()
    with path.open("rb") as handle:
        export = json.load(handle)
    messages = sum(1 for message in export["messages"] if message.get("type") == "message")
    return {"seconds": time.perf_counter() - began, "messages": messages}


def run_marsad(path: Path, home: Path, database_url: str | None) -> dict[str, Any]:
    env = {"MARSAD_HOME": str(home)}
    if database_url:
        env["MARSAD_DATABASE_URL"] = database_url
    workspace, _, _ = Workspace.initialise(Settings.from_env(env))
    with workspace.database.session() as session:
        source = Source(name="bench export", kind="telegram-export", locator=str(path))
        session.add(source)
        session.flush()
        source_id = source.id
    summary = IngestSummary()
    began = time.perf_counter()
    with Fetcher(workspace.settings) as fetcher:
        context = CollectContext(fetcher=fetcher, settings=workspace.settings, state={})
        attempts = TelegramExportCollector().attempts(str(path), context)
        Ingestor(workspace).record_attempts(
            attempts, lambda session: session.get(Source, source_id), summary
        )
    seconds = time.perf_counter() - began
    with workspace.database.session() as session:
        documents = session.scalar(select(func.count()).select_from(Document)) or 0
        captures = session.scalar(select(func.count()).select_from(Capture)) or 0
    workspace.close()
    if summary.failed_captures:
        raise SystemExit(f"unexpected failures: {summary.failed_captures[:3]}")
    return {"seconds": seconds, "messages": documents, "captures": captures}


def child(side: str, path: Path, home: Path, database_url: str | None) -> None:
    """One side of the benchmark, in this (fresh) process; prints its figures as JSON."""
    figures = run_baseline(path) if side == "baseline" else run_marsad(path, home, database_url)
    print(json.dumps({**figures, "peak_mb": peak_megabytes()}))


def run_child(side: str, path: Path, home: Path, database_url: str | None) -> dict[str, Any]:
    command = [
        sys.executable,
        __file__,
        "--child",
        side,
        "--export",
        str(path),
        "--home",
        str(home),
    ]
    if database_url:
        command += ["--database-url", database_url]
    began = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{side} failed:\n{done.stderr}")
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    figures["process_seconds"] = time.perf_counter() - began
    return figures


def line(name: str, figures: dict[str, Any]) -> str:
    return (
        f"{name:<30} {figures['messages'] / figures['seconds']:>9.0f} messages/s "
        f"{figures['seconds']:>7.1f} s wall   peak {figures['peak_mb']:>6.0f} MB   "
        f"(process {figures['process_seconds']:.1f} s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--database-url", help="default: SQLite in a temporary home")
    parser.add_argument("--child", choices=("baseline", "marsad"), help=argparse.SUPPRESS)
    parser.add_argument("--export", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--home", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.export, args.home, args.database_url)
        return
    with tempfile.TemporaryDirectory(prefix="marsad-bench-") as temporary:
        path = Path(temporary) / "ChatExport" / "result.json"
        path.parent.mkdir()
        write_export(path, args.messages)
        megabytes = path.stat().st_size / 1e6
        print(f"export: {args.messages:,} messages, {megabytes:.1f} MB at {path.name}")
        baseline = run_child("baseline", path, Path(temporary) / "unused", None)
        marsad = run_child("marsad", path, Path(temporary) / "home", args.database_url)
        print(line("baseline: json.load", baseline))
        print(line("marsad: telegram-export import", marsad))
        print(
            f"marsad: {marsad['messages']:,} documents in {marsad['captures']:,} captures; "
            f"time {marsad['seconds'] / baseline['seconds']:.1f}x baseline, "
            f"peak memory {marsad['peak_mb'] / baseline['peak_mb']:.2f}x baseline"
        )
        within = marsad["seconds"] < TARGET_SECONDS and marsad["peak_mb"] < TARGET_PEAK_MB
        print(
            f"target (< {TARGET_SECONDS:.0f} s, < {TARGET_PEAK_MB:.0f} MB): "
            + ("met" if within else "NOT met")
        )


if __name__ == "__main__":
    main()
