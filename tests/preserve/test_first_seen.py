"""First seen: the earliest successful capture of a URL or of exact bytes."""

from datetime import UTC, datetime

from marsad.collect.content import RawContent
from marsad.errors import FetchError
from marsad.preserve.first_seen import (
    first_seen_sha256,
    first_seen_url,
    first_seen_url_and_sha256,
)
from marsad.workspace import Workspace

STATEMENT = "بيان صادر عن المكتب الإعلامي".encode()


def at(day: int) -> datetime:
    return datetime(2026, 3, day, 9, 30, tzinfo=UTC)


def test_first_seen_url_and_content_come_from_successful_captures(workspace: Workspace) -> None:
    with workspace.database.session() as session:
        recorder = workspace.capture_recorder(session)
        recorder.record_failure("https://a.example/post", FetchError("HTTP 503", 503), None)
        later = recorder.record(
            RawContent(url="https://a.example/post", data=STATEMENT + b" v2", fetched_at=at(5)),
            None,
        )
        first = recorder.record(
            RawContent(url="https://a.example/post", data=STATEMENT, fetched_at=at(2)), None
        )
        mirror = recorder.record(
            RawContent(url="https://mirror.example/copy", data=STATEMENT, fetched_at=at(4)), None
        )
        seen = first_seen_url(session, "https://a.example/post")
        assert seen is not None
        assert (seen.at, seen.capture_id, seen.captures) == (at(2), first.capture.id, 2)
        content = first_seen_sha256(session, str(mirror.capture.sha256).upper())
        assert content is not None
        assert (content.at, content.url, content.captures) == (at(2), "https://a.example/post", 2)
        assert later.capture.id != first.capture.id
        assert first_seen_url(session, "https://never.example/") is None
        assert first_seen_sha256(session, "0" * 64) is None
        # Asked together (one statement), the same answers as asked apart.
        mirror_sha = str(mirror.capture.sha256)
        assert first_seen_url_and_sha256(session, "https://mirror.example/copy", mirror_sha) == (
            first_seen_url(session, "https://mirror.example/copy"),
            content,
        )
        assert first_seen_url_and_sha256(session, "https://a.example/post", None) == (seen, None)
        assert first_seen_url_and_sha256(session, "https://never.example/", "0" * 64) == (
            None,
            None,
        )
