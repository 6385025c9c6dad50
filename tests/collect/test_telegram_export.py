"""The `telegram-export` kind: Telegram Desktop JSON exports streamed into chunked captures,
recorded into a real workspace (SQLite and PostgreSQL) and run through the pipeline."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from marsad.collect.kinds import CollectContext
from marsad.collect.registry import collector_for
from marsad.collect.telegram_export import (
    TelegramExportCollector,
    flatten_text,
    message_post,
    read_header,
)
from marsad.config import Settings
from marsad.store.models import Capture, Document
from marsad.workspace import Workspace
from tests.collect.test_telegram import FIXTURES, crawl, documents_by_part
from tests.conftest import make_settings

CHANNEL_ID = 1987654321


@pytest.fixture
def export_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "ChatExport_2026-10-09"
    folder.mkdir()
    shutil.copy(FIXTURES / "export-result.json", folder / "result.json")
    return folder


def export_settings(tmp_path: Path, database_url: str, chunk: int) -> Settings:
    return make_settings(tmp_path / "home", database_url, telegram_export_chunk=str(chunk))


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return export_settings(tmp_path, database_url, chunk=3)


def count(workspace: Workspace, model: type) -> int:
    with workspace.database.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


# --- reading messages ------------------------------------------------------------------------


def test_plain_string_text_has_no_links() -> None:
    assert flatten_text("خبر قصير") == ("خبر قصير", ())


def test_entity_array_is_flattened_with_its_links() -> None:
    text, links = flatten_text(
        [
            {"type": "bold", "text": "عاجل:"},
            " جسر جديد ",
            {"type": "text_link", "text": "التقرير", "href": "https://news.example.org/bridge"},
            " ",
            {"type": "link", "text": "example.net/photos"},
            " ",
            {"type": "hashtag", "text": "#جسر"},
            " ",
            {"type": "mention", "text": "@city_desk_demo"},
            {"type": "unknown_future_entity"},
            42,
        ]
    )
    assert text == "عاجل: جسر جديد التقرير example.net/photos #جسر @city_desk_demo"
    assert links == (
        "https://news.example.org/bridge",
        "http://example.net/photos",
        "https://t.me/city_desk_demo",
    )


def test_header_is_read_without_the_messages(export_dir: Path) -> None:
    header = read_header(export_dir / "result.json")
    assert (header.name, header.chat_type, header.chat_id) == (
        "Marsad Demo Archive",
        "public_channel",
        CHANNEL_ID,
    )


def test_message_date_is_the_unix_time_not_the_local_clock(export_dir: Path) -> None:
    header = read_header(export_dir / "result.json")
    message = {
        "id": 8,
        "type": "message",
        "date": "2026-10-08T00:40:00",  # the exporting computer's clock (UTC+03:30)
        "date_unixtime": "1791407400",
        "text": "x",
    }
    post = message_post(message, header)
    assert post is not None and post.published == datetime(2026, 10, 7, 21, 10, tzinfo=UTC)
    assert post.url == f"https://t.me/c/{CHANNEL_ID}/8"


@pytest.mark.parametrize("date", [[1], {"t": 1}, "soon", 10**30])
def test_a_message_with_a_date_of_the_wrong_type_keeps_its_text(
    export_dir: Path, date: Any
) -> None:
    header = read_header(export_dir / "result.json")
    message = {"id": 9, "type": "message", "date_unixtime": date, "text": "بيان"}
    post = message_post(message, header)
    assert post is not None and post.text == "بيان" and post.published is None


@pytest.mark.parametrize(
    "message",
    [
        {"id": 1, "type": "service", "text": ""},
        {"type": "message"},
        {"id": 10**400, "type": "message", "text": "no message has so big an id"},
        {"id": True, "type": "message", "text": "nor a boolean one"},
        "text",
        None,
    ],
)
def test_service_messages_and_junk_are_not_posts(export_dir: Path, message: Any) -> None:
    assert message_post(message, read_header(export_dir / "result.json")) is None


def test_kind_is_registered() -> None:
    assert isinstance(collector_for("telegram-export"), TelegramExportCollector)


# --- importing -------------------------------------------------------------------------------


def test_export_is_cut_into_chunks_of_posts(export_dir: Path, settings: Settings) -> None:
    context = CollectContext(fetcher=None, settings=settings, state={})  # type: ignore[arg-type]
    attempts = list(TelegramExportCollector().attempts(str(export_dir), context))
    url = (export_dir / "result.json").resolve().as_uri()
    assert [attempt_url for attempt_url, _read in attempts] == [
        f"{url}#messages=1-4",
        f"{url}#messages=5-8",
    ]
    first = attempts[0][1]()
    assert [post.part for post in first.posts] == ["2", "3", "4"]
    chunk = json.loads(first.content.data)
    assert (chunk["name"], chunk["type"], chunk["id"]) == (
        "Marsad Demo Archive",
        "public_channel",
        CHANNEL_ID,
    )
    assert [message["id"] for message in chunk["messages"]] == [1, 2, 3, 4]
    original = json.loads((export_dir / "result.json").read_text(encoding="utf-8"))
    assert chunk["messages"] == original["messages"][:4]  # nothing lost, service message kept


def test_import_records_posts_and_runs_the_pipeline(
    workspace: Workspace, export_dir: Path, settings: Settings
) -> None:
    result = crawl(workspace, TelegramExportCollector(), str(export_dir), settings, {})
    assert result.failures == [] and result.new_captures == 2
    assert workspace.runner().run(result.document_ids).failed == 0
    documents = {part: versions[0] for part, versions in documents_by_part(workspace).items()}
    assert sorted(documents, key=int) == ["2", "3", "4", "5", "6", "8"]

    bridge = documents["3"]
    assert bridge.url == f"https://t.me/c/{CHANNEL_ID}/3"
    assert bridge.text == (
        "خبر عاجل: افتتاح جسر جديد فوق النهر.\n"
        "التفاصيل في التقرير الكامل وexample.net/bridge-photos #جسر عبر @city_desk_demo"
    )
    assert bridge.title == "خبر عاجل: افتتاح جسر جديد فوق النهر."
    assert bridge.language == "ar"
    assert bridge.properties["author"] == "Night Desk"
    assert bridge.properties["links"] == [
        "https://news.example.org/bridge",
        "http://example.net/bridge-photos",
        "https://t.me/city_desk_demo",
    ]
    assert bridge.properties["media"] == [
        (export_dir / "photos" / "photo_3@03-10-2026_18-05-00.jpg").resolve().as_uri()
    ]
    assert documents["4"].properties["forwarded_from"] == "Tehran City Desk"
    assert documents["4"].language == "fa"
    assert documents["5"].language == "he"
    assert documents["5"].properties["media"] == []  # the video was left out of the export
    assert documents["6"].text == ""
    assert documents["6"].properties["media"] == [
        (export_dir / "files" / "timetable.pdf").resolve().as_uri()
    ]
    late = documents["8"]
    assert (late.published, late.published_precision, late.published_certainty) == (
        "2026-10-07",
        "day",
        "certain",
    )
    assert late.published_expression == "post timestamp 2026-10-07T21:10:00+00:00"
    assert late.language == "en"


def test_reimport_records_nothing_new(
    workspace: Workspace, export_dir: Path, settings: Settings
) -> None:
    crawl(workspace, TelegramExportCollector(), str(export_dir), settings, {})
    again = crawl(
        workspace, TelegramExportCollector(), str(export_dir / "result.json"), settings, {}
    )
    assert again.new_captures == 0 and again.document_ids == []
    assert count(workspace, Capture) == 2 and count(workspace, Document) == 6


def test_export_cut_differently_adds_captures_but_no_documents(
    workspace: Workspace, export_dir: Path, settings: Settings, tmp_path: Path, database_url: str
) -> None:
    crawl(workspace, TelegramExportCollector(), str(export_dir), settings, {})
    other = export_settings(tmp_path, database_url, chunk=500)
    again = crawl(workspace, TelegramExportCollector(), str(export_dir), other, {})
    assert again.new_captures == 1 and again.document_ids == []
    assert count(workspace, Document) == 6


def test_damaged_export_keeps_messages_before_the_damage(
    workspace: Workspace, tmp_path: Path, settings: Settings
) -> None:
    damaged = tmp_path / "result.json"
    shutil.copy(FIXTURES / "export-damaged.json", damaged)
    result = crawl(workspace, TelegramExportCollector(), str(damaged), settings, {})
    assert sorted(documents_by_part(workspace), key=int) == ["2", "3", "4"]
    assert len(result.failures) == 1
    assert result.failures[0].startswith("MalformedContent: ")
    assert "damaged after message 4" in result.failures[0]
    with workspace.database.session() as session:
        failed = session.scalars(select(Capture).where(Capture.error.is_not(None))).one()
        assert failed.url.endswith("#damaged-after=4") and failed.blob_key is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "not valid JSON"),
        (b"\x00\x01binary", "not valid JSON"),
        (b"[1, 2, 3]", "no JSON object"),
        (b'{"about": "x", "chats": {"list": []}}', "export a single chat"),
        (b'{"name": "x", "type": "public_channel", "id": 1}', "has no message list"),
        (
            b'{"name": "x", "type": "public_channel", "id": 1, "messages": '
            b'[{"id": 1, "type": "service", "text": ""}]}',
            "NoPostsFound: ",
        ),
    ],
)
def test_unusable_exports_are_recorded_failures(
    workspace: Workspace, tmp_path: Path, settings: Settings, content: bytes, message: str
) -> None:
    path = tmp_path / "result.json"
    path.write_bytes(content)
    result = crawl(workspace, TelegramExportCollector(), str(path), settings, {})
    assert len(result.failures) == 1 and message in result.failures[0]
    assert count(workspace, Document) == 0


def test_missing_export_is_a_recorded_failure(
    workspace: Workspace, tmp_path: Path, settings: Settings
) -> None:
    result = crawl(workspace, TelegramExportCollector(), str(tmp_path / "nope.json"), settings, {})
    assert len(result.failures) == 1 and result.failures[0].startswith(
        "CaptureNotFound: no such file"
    )


# --- hostile exports (adversarial probe, issue 20 item 2) -------------------------------------


def nested_text(depth: int) -> str:
    return "[" * depth + "]" * depth


def hostile_export(path: Path, messages: list[str]) -> Path:
    """An export whose message list is written as raw JSON texts, so a message can be hostile."""
    path.write_text(
        '{"name": "Hostile", "type": "public_channel", "id": 1, "messages": ['
        + ", ".join(messages)
        + "]}",
        encoding="utf-8",
    )
    return path


def plain_message(message_id: int) -> str:
    return json.dumps({"id": message_id, "type": "message", "text": f"بيان رقم {message_id}"})


@pytest.mark.adversarial
@pytest.mark.parametrize("depth", [1_000, 32_000])
def test_a_deeply_nested_message_is_skipped_with_a_reason_and_the_rest_import(
    workspace: Workspace, tmp_path: Path, settings: Settings, depth: int
) -> None:
    hostile = f'{{"id": 3, "type": "message", "text": {nested_text(depth)}}}'
    # The second hostile message names its id only after the nesting.
    hostile_late_id = f'{{"type": "message", "text": {nested_text(depth)}, "id": 6}}'
    messages = [plain_message(1), plain_message(2), hostile, plain_message(4)]
    path = hostile_export(tmp_path / "result.json", [*messages, hostile_late_id, plain_message(7)])
    result = crawl(workspace, TelegramExportCollector(), str(path), settings, {})
    assert sorted(documents_by_part(workspace), key=int) == ["1", "2", "4", "7"]
    assert len(result.failures) == 2
    first, second = result.failures
    assert "message 3 was skipped: it nests deeper than" in first
    assert "message 6 was skipped" in second and "the other messages import" in second
    with workspace.database.session() as session:
        failed = session.scalars(select(Capture.url).where(Capture.error.is_not(None))).all()
        assert sorted(url.rsplit("#", 1)[1] for url in failed) == ["skipped=3", "skipped=6"]


@pytest.mark.adversarial
def test_a_message_bigger_than_a_capture_is_skipped(
    workspace: Workspace, tmp_path: Path, database_url: str
) -> None:
    settings = make_settings(tmp_path / "home", database_url, max_capture_bytes="20000")
    huge = json.dumps({"id": 2, "type": "message", "text": ["ب" * 15_000, "ت" * 15_000]})
    path = hostile_export(tmp_path / "result.json", [plain_message(1), huge, plain_message(3)])
    result = crawl(workspace, TelegramExportCollector(), str(path), settings, {})
    assert sorted(documents_by_part(workspace), key=int) == ["1", "3"]
    assert len(result.failures) == 1 and "message 2 was skipped" in result.failures[0]
    assert "over 20,000 characters" in result.failures[0]


BOUNDED_IMPORT = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
from marsad.collect.kinds import CollectContext
from marsad.collect.telegram_export import TelegramExportCollector
from marsad.config import Settings
from marsad.errors import CaptureError
context = CollectContext(fetcher=None, settings=Settings.from_env(), state={})
posts, failures = 0, 0
for _url, read in TelegramExportCollector().attempts(sys.argv[1], context):
    try:
        posts += len(read().posts)
    except CaptureError:
        failures += 1
print(posts, failures)
"""


@pytest.mark.adversarial
def test_a_message_nested_100k_deep_is_read_in_bounded_memory_and_time(tmp_path: Path) -> None:
    """200 KB of brackets once grew past 15 GB: the collector reads the export under a 2 GiB
    address-space limit (in a subprocess, so a failure cannot take the test run's memory)."""
    hostile = f'{{"id": 2, "type": "message", "text": {nested_text(100_000)}}}'
    path = hostile_export(tmp_path / "result.json", [plain_message(1), hostile, plain_message(3)])
    done = subprocess.run(
        [sys.executable, "-c", BOUNDED_IMPORT, str(path)],
        env={**os.environ, "MARSAD_HOME": str(tmp_path / "home")},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["2", "1"]  # two posts in one capture, one message skipped
