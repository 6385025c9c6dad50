"""What a Telegram message holds besides its text: a location, a venue, a poll, a contact, a
sticker, a voice note... Both the t.me/s parser and the Desktop export reader describe it the
same way, so a post keeps its content whichever way it was collected.

The readable part (a poll's question and options, a venue's name and address, a contact's
name) joins the post's text, where the stages read it; the rest (coordinates, phone number,
vote counts, file names) is kept as data in the document's properties.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class MessageContent:
    kind: str  # location, venue, poll, contact, sticker, voice, video_message, document, ...
    readable: tuple[str, ...] = ()  # lines a reader sees: question, options, place name
    details: dict[str, Any] = field(default_factory=dict)


def with_content(text: str, content: MessageContent | None) -> str:
    """The post's own text (a caption) followed by the readable part of its content."""
    if content is None or not content.readable:
        return text
    return "\n".join(piece for piece in (text, *content.readable) if piece)


def coordinates(latitude: Any, longitude: Any) -> dict[str, float] | None:
    """Valid WGS84 coordinates, or None."""
    try:
        lat, lon = float(latitude), float(longitude)
    except (TypeError, ValueError):
        return None
    if -90 <= lat <= 90 and -180 <= lon <= 180:
        return {"latitude": lat, "longitude": lon}
    return None


def coordinates_from_map_link(url: str) -> dict[str, float] | None:
    """`https://maps.google.com/maps?q=LAT,LON&ll=LAT,LON` (what t.me links a location to)."""
    query = parse_qs(urlsplit(url).query)
    for key in ("ll", "q"):
        for value in query.get(key, []):
            latitude, _, longitude = value.partition(",")
            if found := coordinates(latitude, longitude):
                return found
    return None


def poll(question: str, options: list[str], **details: Any) -> MessageContent:
    readable = (question, *(f"- {option}" for option in options if option))
    return MessageContent(
        "poll",
        tuple(line for line in readable if line),
        {"question": question, "options": options, **details},
    )


def place(
    kind: str, where: dict[str, float] | None, name: str | None = None, address: str | None = None
) -> MessageContent:
    """A location (coordinates only) or a venue (a named place with an address)."""
    details: dict[str, Any] = dict(where or {})
    details.update({key: value for key, value in (("name", name), ("address", address)) if value})
    return MessageContent(kind, tuple(piece for piece in (name, address) if piece), details)
