"""The `telegram-export` kind: a chat exported by Telegram Desktop as JSON (`result.json`).

The file is read as a stream (ijson), so an export of hundreds of thousands of messages is
imported in bounded memory. It is cut into chunks of N messages; each chunk is one capture
whose bytes are the chunk as canonical JSON (with the export's name, type and id) at the URL
`file:///…/result.json#messages=<first id>-<last id>`. Re-importing the same file records
nothing new; a later export of the same chat adds only messages not recorded before.

A file damaged part way keeps every message before the damage and records the damage as a
failed capture.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, ClassVar

import ijson

from marsad.collect.content import RawContent
from marsad.collect.export_media import (
    MEDIA_NOT_INCLUDED,
    TELEGRAM_EXPORT_MEDIA,
    ExportedMedium,
    medium_attempts,
    message_media_files,
)
from marsad.collect.files import file_url
from marsad.collect.kinds import Attempt, CollectContext, Collected, CollectedPost
from marsad.collect.message_content import (
    MessageContent,
    coordinates,
    place,
    poll,
    with_content,
)
from marsad.collect.telegram import first_line
from marsad.config import Setting, parse_positive_int
from marsad.errors import (
    CaptureError,
    CaptureNotFound,
    CaptureTooLarge,
    MalformedContent,
    NoPostsFound,
)

EXPORT_FILE_NAME = "result.json"
HEADER_FIELDS = ("name", "type", "id")
SCALAR_EVENTS = ("string", "number", "boolean", "null")
OPENING_EVENTS = ("start_map", "start_array")
CLOSING_EVENTS = ("end_map", "end_array")
# Telegram Desktop nests a message three levels deep (text entities in a list in the message);
# a hostile export nests far deeper to exhaust memory or the interpreter's recursion.
MAX_MESSAGE_DEPTH = 32
# Chats whose messages have public-style links t.me/c/<chat id>/<message id>.
CHANNEL_TYPES = ("public_channel", "private_channel", "public_supergroup", "private_supergroup")
MEDIA_FIELDS = ("photo", "file")
# Fields of a media message worth keeping beside its file (a sticker's emoji, a song's title).
MEDIA_DETAILS = (
    "file_name",
    "mime_type",
    "duration_seconds",
    "sticker_emoji",
    "performer",
    "title",
    "width",
    "height",
)

TELEGRAM_EXPORT_CHUNK = Setting(
    "telegram_export_chunk",
    500,
    "Messages (service messages not counted) per capture when importing a Telegram Desktop export.",
    parse_positive_int,
)


@dataclass(frozen=True)
class ExportHeader:
    path: Path
    name: str | None
    chat_type: str | None
    chat_id: int | str | None

    @property
    def url(self) -> str:
        return file_url(self.path)

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "type": self.chat_type, "id": self.chat_id}

    def message_url(self, message_id: int) -> str:
        if self.chat_type in CHANNEL_TYPES and self.chat_id is not None:
            return f"https://t.me/c/{self.chat_id}/{message_id}"
        return f"{self.url}#message={message_id}"


def export_path(locator: str) -> Path:
    """A result.json, or the folder Telegram Desktop exported into."""
    path = Path(locator.removeprefix("file://")).expanduser()
    return path / EXPORT_FILE_NAME if path.is_dir() else path


def read_header(path: Path) -> ExportHeader:
    """The chat's name, type and id, read up to the start of the messages."""
    values: dict[str, Any] = {}
    try:
        with path.open("rb") as handle:
            events = ijson.basic_parse(handle, use_float=True)
            if next(events, None) != ("start_map", None):
                raise MalformedContent(f"{path} is not a Telegram export: no JSON object")
            for key, event, value in top_level_fields(events):
                if key in HEADER_FIELDS and event in SCALAR_EVENTS:
                    values[key] = value
                elif key == "messages" and event == "start_array":
                    return ExportHeader(
                        path, values.get("name"), values.get("type"), values.get("id")
                    )
                elif key == "chats" and event == "start_map":
                    break
    except FileNotFoundError:
        raise CaptureNotFound(f"no such file: {path}") from None
    except OSError as exc:
        raise CaptureNotFound(f"cannot read {path}: {exc.strerror}") from None
    except ijson.JSONError as exc:
        raise MalformedContent(f"{path} is not valid JSON: {exc}") from None
    raise MalformedContent(
        f"{path} has no message list: export a single chat from Telegram Desktop "
        "(Export chat history, format JSON), not the whole account"
    )


def top_level_fields(events: Iterator[tuple[str, Any]]) -> Iterator[tuple[str, str, Any]]:
    """(key, event, value) for the first event of each value of the top-level object, whose
    `start_map` has been read. A caller that consumes nothing more skips the value: nested
    events are passed over by depth, so no path string grows with the nesting (ijson's
    prefixed events would cost memory quadratic in the depth)."""
    depth, key = 0, ""
    for event, value in events:
        if depth == 0:
            if event == "map_key":
                key = value
                continue
            if event == "end_map":
                return
            yield key, event, value
        if event in OPENING_EVENTS:
            depth += 1
        elif event in CLOSING_EVENTS:
            depth -= 1


@dataclass(frozen=True)
class SkippedMessage:
    """A message left out of the import, and why."""

    message_id: int | None
    reason: str


def read_message(first: tuple[str, Any], events: Iterator[tuple[str, Any]], max_bytes: int) -> Any:
    """One item of the message list, built from its events, or a SkippedMessage when it nests
    deeper than MAX_MESSAGE_DEPTH or its strings exceed max_bytes. A skipped item's events are
    still read to its end, without building anything, so the next message starts clean."""
    builder = ijson.ObjectBuilder()
    event, value = first
    depth, size, key = 0, 0, ""
    message_id: int | None = None
    reason: str | None = None
    while True:
        if event in OPENING_EVENTS:
            depth += 1
            if depth > MAX_MESSAGE_DEPTH and reason is None:
                reason = f"nests deeper than {MAX_MESSAGE_DEPTH} levels"
        elif event in CLOSING_EVENTS:
            depth -= 1
        elif isinstance(value, str):
            size += len(value)
            if size > max_bytes and reason is None:
                reason = f"holds over {max_bytes:,} characters of text (the capture limit)"
        if depth == 1 and event == "map_key":
            key = value
        elif depth == 1 and key == "id" and event == "number" and isinstance(value, int):
            message_id = value
        if reason is None:
            builder.event(event, value)
        if depth == 0:
            return builder.value if reason is None else SkippedMessage(message_id, reason)
        event, value = next(events)


def read_messages(path: Path, max_bytes: int) -> Iterator[Any]:
    """The items of the export's message list in order, each built alone (bounded in depth and
    size), then the rest of the file read through so that damage after the list is found."""
    with path.open("rb") as handle:
        events = ijson.basic_parse(handle, use_float=True)
        next(events, None)  # the top-level object's start, checked by read_header
        for key, event, _value in top_level_fields(events):
            if key != "messages" or event != "start_array":
                continue
            for item_event, item_value in events:
                if item_event == "end_array":
                    break
                yield read_message((item_event, item_value), events, max_bytes)
            for _rest in events:
                pass
            return


def flatten_text(value: Any) -> tuple[str, tuple[str, ...]]:
    """A message's `text` — a string, or a list of strings and entities — as plain text, and
    the links it carries (a `text_link`'s target, a bare `link`, a `mention`'s channel)."""
    if isinstance(value, str):
        return value, ()
    pieces: list[str] = []
    links: list[str] = []
    for piece in value if isinstance(value, list) else ():
        if isinstance(piece, str):
            pieces.append(piece)
            continue
        if not isinstance(piece, dict):
            continue
        text = str(piece.get("text", ""))
        pieces.append(text)
        kind = piece.get("type")
        if kind == "text_link" and piece.get("href"):
            links.append(str(piece["href"]))
        elif kind == "link" and text:
            links.append(text if "://" in text else f"http://{text}")
        elif kind == "mention" and text.startswith("@"):
            links.append(f"https://t.me/{text[1:]}")
    return "".join(pieces), tuple(dict.fromkeys(links))


def message_time(message: dict[str, Any]) -> datetime | None:
    """`date_unixtime` (UTC) when present; `date` is the exporting computer's local time."""
    try:
        if message.get("date_unixtime") is not None:
            return datetime.fromtimestamp(int(message["date_unixtime"]), UTC)
        if isinstance(message.get("date"), str):
            return datetime.fromisoformat(message["date"]).replace(tzinfo=UTC)
    except (ValueError, TypeError, OverflowError, OSError):  # a list, a bool, out of range
        return None
    return None


def message_media(message: dict[str, Any], folder: Path) -> tuple[str, ...]:
    paths = (message.get(name) for name in MEDIA_FIELDS)
    return tuple(
        (folder / path).resolve().as_uri()
        for path in paths
        if isinstance(path, str) and path and not path.startswith(MEDIA_NOT_INCLUDED)
    )


def _optional_text(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


def _export_poll(found: dict[str, Any]) -> MessageContent:
    answers = [answer for answer in found.get("answers", []) if isinstance(answer, dict)]
    return poll(
        flatten_text(found.get("question", ""))[0],
        [flatten_text(answer.get("text", ""))[0] for answer in answers],
        votes=[answer.get("voters") for answer in answers],
        total_voters=found.get("total_voters"),
        closed=found.get("closed"),
    )


def _titled(kind: str, found: dict[str, Any], *details: str) -> MessageContent:
    """A game or an invoice: a title and a description a reader sees, and some data."""
    readable = tuple(
        str(found[key]) for key in ("title", "description") if _optional_text(found.get(key))
    )
    return MessageContent(kind, readable, {key: found.get(key) for key in details})


def export_content(message: dict[str, Any]) -> MessageContent | None:
    """The poll, venue, location, contact, game, invoice or media kind of an exported message."""
    if isinstance(message.get("poll"), dict):
        return _export_poll(message["poll"])
    located = message.get("location_information")
    where = (
        coordinates(located.get("latitude"), located.get("longitude"))
        if isinstance(located, dict)
        else None
    )
    name, address = (
        _optional_text(message.get("place_name")),
        _optional_text(message.get("address")),
    )
    if name or address:
        return place("venue", where, name, address)
    if located is not None:
        live = message.get("live_location_period_seconds")
        found = place("location", where)
        return MessageContent(
            found.kind, (), {**found.details, "live_seconds": live} if live else found.details
        )
    contact = message.get("contact_information")
    if isinstance(contact, dict):
        full_name = " ".join(
            str(contact[key])
            for key in ("first_name", "last_name")
            if _optional_text(contact.get(key))
        )
        details = {
            "name": full_name or None,
            "phone_number": _optional_text(contact.get("phone_number")),
        }
        return MessageContent(
            "contact", (full_name,) if full_name else (), {k: v for k, v in details.items() if v}
        )
    if _optional_text(message.get("game_title")):
        game = {"title": message.get("game_title"), "description": message.get("game_description")}
        return _titled("game", game)
    if isinstance(message.get("invoice_information"), dict):
        return _titled("invoice", message["invoice_information"], "amount", "currency")
    if isinstance(message.get("dice"), dict):
        return MessageContent("dice", (), dict(message["dice"]))
    if _optional_text(message.get("media_type")):
        details = {key: message[key] for key in MEDIA_DETAILS if _optional_text(message.get(key))}
        return MessageContent(str(message["media_type"]), (), details)
    return None


def message_post(message: Any, header: ExportHeader) -> CollectedPost | None:
    """The post of one exported message; None for service messages and unusable items."""
    if not isinstance(message, dict) or message.get("type") != "message":
        return None
    message_id = message.get("id")
    # Telegram's message ids are 64-bit: a bigger number is not a message (nor fits the store).
    if not isinstance(message_id, int) or isinstance(message_id, bool) or message_id >= 2**63:
        return None
    text, links = flatten_text(message.get("text", ""))
    content = export_content(message)
    text = with_content(text, content)
    return CollectedPost(
        part=str(message_id),
        url=header.message_url(message_id),
        text=text,
        title=first_line(text),
        published=message_time(message),
        # `author` is a channel post's signature; `from` the channel or the group member.
        author=_optional_text(message.get("author")) or _optional_text(message.get("from")),
        forwarded_from=_optional_text(message.get("forwarded_from")),
        media=message_media(message, header.path.parent),
        links=links,
        content=content,
    )


@dataclass
class ExportChunk:
    """Consecutive messages of an export, service messages included, to become one capture."""

    header: ExportHeader
    max_bytes: int
    messages: list[Any] = field(default_factory=list)
    posts: list[CollectedPost] = field(default_factory=list)
    media: list[ExportedMedium] = field(default_factory=list)  # the posts' pictures and PDFs

    def add(self, message: Any, post: CollectedPost | None) -> None:
        self.messages.append(message)
        if post is not None:
            self.posts.append(post)
            self.media.extend(
                ExportedMedium(path, post.url)
                for path in message_media_files(message, self.header.path.parent)
            )

    @property
    def url(self) -> str:
        first, last = (_message_label(self.messages[0]), _message_label(self.messages[-1]))
        return f"{self.header.url}#messages={first}-{last}"

    def read(self) -> Collected:
        if not self.posts:
            raise NoPostsFound(f"{self.header.path} holds no messages, only service messages")
        data = json.dumps(
            {**self.header.as_json(), "messages": self.messages},
            ensure_ascii=False,
            sort_keys=True,
            separators=(",", ":"),
        ).encode("utf-8")
        if len(data) > self.max_bytes:
            raise CaptureTooLarge(
                f"{self.url} is {len(data):,} bytes, over the capture limit of "
                f"{self.max_bytes:,} (MARSAD_MAX_CAPTURE_BYTES); lower MARSAD_TELEGRAM_EXPORT_CHUNK"
            )
        content = RawContent(url=self.url, data=data, content_type="application/json")
        return Collected(content=content, posts=tuple(self.posts))


def _message_label(message: Any) -> str:
    return str(message.get("id", "?")) if isinstance(message, dict) else "?"


def _failing(error: CaptureError) -> Collected:
    raise error


def _skipped(header: ExportHeader, chunk: ExportChunk, skipped: SkippedMessage) -> Attempt:
    """A failed capture naming the message left out (by its id, or the message before it)."""
    if skipped.message_id is not None:
        where, anchor = f"message {skipped.message_id}", f"skipped={skipped.message_id}"
    else:
        after = _message_label(chunk.messages[-1]) if chunk.messages else "the start"
        where, anchor = f"the message after {after}", f"skipped-after={after}"
    error = MalformedContent(
        f"{header.path}: {where} was skipped: it {skipped.reason}; the other messages import"
    )
    return f"{header.url}#{anchor}", partial(_failing, error)


class TelegramExportCollector:
    kind: ClassVar[str] = "telegram-export"
    settings: ClassVar[tuple[Setting, ...]] = (TELEGRAM_EXPORT_CHUNK, TELEGRAM_EXPORT_MEDIA)

    def attempts(self, locator: str, context: CollectContext) -> Iterator[Attempt]:
        path = export_path(locator)
        try:
            header = read_header(path)
        except CaptureError as error:
            yield file_url(path), partial(_failing, error)
            return
        chunk_size: int = context.settings.value_of(TELEGRAM_EXPORT_CHUNK)
        max_bytes = context.settings.max_capture_bytes
        chunk = ExportChunk(header, max_bytes)
        with_media: bool = context.settings.value_of(TELEGRAM_EXPORT_MEDIA)
        damage: str | None = None
        try:
            for message in read_messages(path, max_bytes):
                if isinstance(message, SkippedMessage):
                    yield _skipped(header, chunk, message)
                    continue
                post = message_post(message, header)
                if post is not None and len(chunk.posts) >= chunk_size:
                    yield chunk.url, chunk.read
                    if with_media:
                        yield from medium_attempts(chunk.media, context)
                    chunk = ExportChunk(header, max_bytes)
                chunk.add(message, post)
        except ijson.JSONError as exc:
            damage = str(exc).strip()
        except OSError as exc:
            damage = f"cannot read on: {exc.strerror}"
        if chunk.messages:
            yield chunk.url, chunk.read
            if with_media:
                yield from medium_attempts(chunk.media, context)
        if damage is not None:
            after = _message_label(chunk.messages[-1]) if chunk.messages else "the start"
            damaged = MalformedContent(
                f"{path} is damaged after message {after}; the messages before it were "
                f"imported: {damage}"
            )
            yield f"{header.url}#damaged-after={after}", partial(_failing, damaged)
