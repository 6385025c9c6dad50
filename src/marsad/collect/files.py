"""Local files and folders as a source: read with the same size cap as the web."""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import ClassVar

from marsad.collect.content import RawContent
from marsad.collect.feeds import collected_content
from marsad.collect.kinds import Attempt, CollectContext, Collected
from marsad.errors import CaptureNotFound, CaptureTooLarge
from marsad.media.settings import VIDEO_MAX_BYTES
from marsad.media.sniff import VIDEO_HEADER_BYTES, is_video

log = logging.getLogger(__name__)

# Files that are never content: editor and OS droppings.
IGNORED_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}


def file_url(path: Path) -> str:
    return path.resolve().as_uri()


def expand_paths(path: Path) -> Iterator[Path]:
    """A file itself, or every file under a folder in a stable (sorted) order.

    A link inside the folder that leads outside it is skipped (with a warning): a folder handed
    over for ingest must not become a way to read a key or a secret elsewhere on the host."""
    if path.is_dir():
        folder = path.resolve()
        for child in sorted(path.rglob("*")):
            if (
                child.is_file()
                and child.name not in IGNORED_NAMES
                and not child.name.startswith(".")
            ):
                if child.resolve().is_relative_to(folder):
                    yield child
                else:
                    log.warning("skipped %s: a link to a file outside %s", child, path)
    else:
        yield path


def read_file(path: Path, max_bytes: int, video_max_bytes: int | None = None) -> RawContent:
    """The file's bytes, at most `max_bytes` — or `video_max_bytes` when the file is a video
    (MARSAD_VIDEO_MAX_BYTES: videos are larger than the pages and pictures the cap is for)."""
    url = file_url(path)
    if not path.exists():
        raise CaptureNotFound(f"no such file: {path}")
    if not path.is_file():
        raise CaptureNotFound(f"not a regular file: {path}")
    size = path.stat().st_size
    setting = "MARSAD_MAX_CAPTURE_BYTES"
    try:
        with path.open("rb") as handle:
            if video_max_bytes and video_max_bytes > max_bytes and size > max_bytes:
                if is_video(handle.read(VIDEO_HEADER_BYTES)):
                    max_bytes, setting = video_max_bytes, "MARSAD_VIDEO_MAX_BYTES"
                handle.seek(0)
            if size > max_bytes:
                raise CaptureTooLarge(
                    f"{path} is {size:,} bytes, over the capture limit of {max_bytes:,} ({setting})"
                )
            data = handle.read(max_bytes + 1)  # the file may grow between stat and read
    except OSError as exc:
        raise CaptureNotFound(f"cannot read {path}: {exc.strerror}") from None
    if len(data) > max_bytes:
        raise CaptureTooLarge(f"{path} grew past the capture limit of {max_bytes:,} bytes")
    content_type, _ = mimetypes.guess_type(url)
    return RawContent(url=url, data=data, content_type=content_type)


class FilesCollector:
    """The `files` kind: a file or a folder watched for new and changed files (unchanged
    bytes are recognised when recorded, so re-reading a folder records nothing new)."""

    kind: ClassVar[str] = "files"

    def attempts(self, locator: str, context: CollectContext) -> Iterator[Attempt]:
        root = Path(locator).expanduser()
        if not root.exists():
            raise CaptureNotFound(f"no such file or folder: {root}")
        max_bytes = context.settings.max_capture_bytes
        video_max_bytes = context.settings.value_of(VIDEO_MAX_BYTES)
        for path in expand_paths(root):
            yield file_url(path), partial(_read_collected, path, max_bytes, video_max_bytes)


def _read_collected(path: Path, max_bytes: int, video_max_bytes: int) -> Collected:
    # A saved feed: item by item.
    return collected_content(read_file(path, max_bytes, video_max_bytes))
