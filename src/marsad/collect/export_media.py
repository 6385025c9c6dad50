"""The pictures, PDFs and videos of a Telegram Desktop export's messages, captured as media of
their message: read from the export's folder with the same size cap as any file (a video's is
MARSAD_VIDEO_MAX_BYTES), recorded like an ingested medium (blob, WARC record, custody entry,
MD5/PDQ hashes, OCR; a video's keyframe PDQs) and tied to the post
(`attached_to` its URL; the post lists the file in `properties.media`).

Only files inside the export's folder are read: a result.json naming `../../somewhere` must not
become a way to capture a file elsewhere on the host. A file the export left out (Telegram
Desktop's "(File not included…)", or a result.json copied without its folders) is skipped.
"""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from marsad.collect.files import file_url, read_file
from marsad.collect.kinds import Attempt, CollectContext, Collected
from marsad.config import Setting, parse_bool
from marsad.errors import MalformedContent
from marsad.media.settings import VIDEO_MAX_BYTES
from marsad.media.sniff import medium_kind

log = logging.getLogger(__name__)

# What Telegram Desktop writes instead of a path when media were left out of the export.
MEDIA_NOT_INCLUDED = "("
MEDIUM_TYPES = ("image/", "application/pdf", "video/")

TELEGRAM_EXPORT_MEDIA = Setting(
    "telegram_export_media",
    True,
    "Capture the photos, pictures, PDFs and videos of an exported chat's messages (files inside "
    "the export's folder, same size caps), so they are preserved, hashed and read by OCR.",
    parse_bool,
)


@dataclass(frozen=True)
class ExportedMedium:
    path: Path
    post_url: str


def _usable(value: Any) -> bool:
    return isinstance(value, str) and bool(value) and not value.startswith(MEDIA_NOT_INCLUDED)


def message_media_files(message: dict[str, Any], folder: Path) -> list[Path]:
    """The message's photo, and its file when that is a picture, a PDF or a video (by the export's
    `mime_type`, else the name), as paths inside the export's folder."""
    names = []
    if _usable(message.get("photo")):
        names.append(str(message["photo"]))
    attached = message.get("file")
    if _usable(attached):
        mime_type = message.get("mime_type")
        if not isinstance(mime_type, str):
            mime_type, _ = mimetypes.guess_type(str(attached))
        if (mime_type or "").lower().startswith(MEDIUM_TYPES):
            names.append(str(attached))
    root = folder.resolve()
    paths = []
    for name in names:
        path = (folder / name).resolve()
        if not path.is_relative_to(root):
            log.warning("skipped %s: outside the export's folder %s", name, folder)
        elif path.is_file():
            paths.append(path)
    return paths


def _read_medium(path: Path, max_bytes: int, video_max_bytes: int, post_url: str) -> Collected:
    content = read_file(path, max_bytes, video_max_bytes)
    if medium_kind(content.data) is None:
        raise MalformedContent(
            f"{path} is exported as a picture, PDF or video of {post_url}, but its bytes are "
            "none of them"
        )
    return Collected(content=content, attached_to=post_url)


def medium_attempts(media: Iterable[ExportedMedium], context: CollectContext) -> Iterator[Attempt]:
    """A capture for each medium not captured before (unchanged bytes at a known path would
    record nothing new anyway; this spares reading them)."""
    for medium in media:
        url = file_url(medium.path)
        if not context.already_captured(url):
            max_bytes = context.settings.max_capture_bytes
            video_max_bytes = context.settings.value_of(VIDEO_MAX_BYTES)
            read = partial(_read_medium, medium.path, max_bytes, video_max_bytes, medium.post_url)
            yield url, read
