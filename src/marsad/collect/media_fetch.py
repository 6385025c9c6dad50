"""Reading a medium (a post's photo or video, a page's picture, PDF or video) under its size
cap: a video may be up to MARSAD_VIDEO_MAX_BYTES, anything else MARSAD_MAX_CAPTURE_BYTES.
What the bytes are is only known once they are read, so the larger cap bounds the read and
the smaller one is checked after it."""

from __future__ import annotations

from marsad.collect.content import RawContent
from marsad.collect.fetcher import ByteLimit, Fetcher
from marsad.config import Settings
from marsad.errors import CaptureTooLarge
from marsad.media.settings import VIDEO_MAX_BYTES
from marsad.media.sniff import is_video

VIDEO_LIMIT_SETTING = "MARSAD_VIDEO_MAX_BYTES"


def media_limit(settings: Settings) -> ByteLimit:
    """The cap a medium's read stops at: the larger of the video and the capture caps."""
    video_max = int(settings.value_of(VIDEO_MAX_BYTES))
    if video_max <= settings.max_capture_bytes:
        return ByteLimit(settings.max_capture_bytes)
    return ByteLimit(video_max, VIDEO_LIMIT_SETTING)


def check_medium_size(data: bytes, where: str, settings: Settings) -> None:
    """Refuse bytes over MARSAD_MAX_CAPTURE_BYTES unless they are a video."""
    if len(data) > settings.max_capture_bytes and not is_video(data):
        raise CaptureTooLarge(
            f"{where} is {len(data):,} bytes and no video, over the capture limit of "
            f"{settings.max_capture_bytes:,} (MARSAD_MAX_CAPTURE_BYTES)"
        )


def fetch_medium(fetcher: Fetcher, url: str, settings: Settings) -> RawContent:
    content = fetcher.fetch(url, limit=media_limit(settings))
    check_medium_size(content.data, url, settings)
    return content
