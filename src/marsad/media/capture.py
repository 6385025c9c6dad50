"""Hashing media as they are captured: MD5 and PDQ are facts of the bytes, like the SHA-256
every capture has, so they are kept with the capture (and matched against the hash lists then),
whether or not any text is ever read from the medium. A video's PDQs are its keyframes'.

Hashing (ffmpeg may take up to a minute on a video) happens before the capture's first write,
so no database write lock is held meanwhile; storing the hashes comes after."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.orm import Session

from marsad.errors import UnsupportedFormat
from marsad.media.hashes import KeyframeHash, MediumHashes, medium_hashes
from marsad.media.hashlists import record_medium
from marsad.media.reading import open_image
from marsad.media.settings import PDQ_MAX_DISTANCE, VIDEO_MAX_KEYFRAMES
from marsad.media.sniff import MediumKind, medium_kind
from marsad.media.video import KeyframesUnavailable, keyframe_hashes
from marsad.store.models import HashMatch

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HashedMedium:
    kind: MediumKind
    hashes: MediumHashes


@dataclass(frozen=True)
class MediaHasher:
    pdq_max_distance: int = PDQ_MAX_DISTANCE.default
    video_max_keyframes: int = VIDEO_MAX_KEYFRAMES.default

    def hash(self, data: bytes, where: str) -> HashedMedium | None:
        """The hashes of bytes that are an image, a PDF or a video (None for anything else);
        `where` names them in log lines."""
        kind = medium_kind(data)
        if kind is None:
            return None
        return HashedMedium(kind, self._hashes(kind, data, where))

    def store(self, session: Session, capture_id: int, medium: HashedMedium) -> list[HashMatch]:
        """Keep a capture's hashes and record its hash-list matches."""
        return record_medium(session, capture_id, medium.kind, medium.hashes, self.pdq_max_distance)

    def _hashes(self, kind: MediumKind, data: bytes, where: str) -> MediumHashes:
        if kind == "video":
            return medium_hashes(data, keyframes=self._keyframes(data, where))
        image = None
        if kind == "image":
            try:
                image = open_image(data)
            except UnsupportedFormat:
                image = None  # a damaged picture: its exact hashes still count
        try:
            return medium_hashes(data, image)
        except (ValueError, OSError, MemoryError) as exc:  # PDQ of a picture it cannot take
            log.warning("no PDQ hash for %s: %s", where, exc)
            return medium_hashes(data)

    def _keyframes(self, data: bytes, where: str) -> tuple[KeyframeHash, ...]:
        try:
            return tuple(keyframe_hashes(data, self.video_max_keyframes))
        except (KeyframesUnavailable, ValueError, OSError, MemoryError) as exc:
            # A damaged video, or no ffmpeg: its exact hashes (SHA-256, MD5) still count.
            log.warning("video %s keeps its SHA-256 and MD5 only, no keyframe PDQ: %s", where, exc)
            return ()
