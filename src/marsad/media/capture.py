"""Hashing media as they are captured: MD5 and PDQ are facts of the bytes, like the SHA-256
every capture has, so they are kept with the capture (and matched against the hash lists then),
whether or not any text is ever read from the medium."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.orm import Session

from marsad.errors import UnsupportedFormat
from marsad.media.hashes import medium_hashes
from marsad.media.hashlists import record_medium
from marsad.media.reading import open_image
from marsad.media.settings import PDQ_MAX_DISTANCE
from marsad.media.sniff import medium_kind
from marsad.store.models import HashMatch

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MediaHasher:
    pdq_max_distance: int = PDQ_MAX_DISTANCE.default

    def record(self, session: Session, capture_id: int, data: bytes) -> list[HashMatch]:
        """Hashes (and hash-list matches) of a capture that is an image or a PDF."""
        kind = medium_kind(data)
        if kind is None:
            return []
        image = None
        if kind == "image":
            try:
                image = open_image(data)
            except UnsupportedFormat:
                image = None  # a damaged picture: its exact hashes still count
        try:
            hashes = medium_hashes(data, image)
        except (ValueError, OSError, MemoryError) as exc:  # PDQ of a picture it cannot take
            log.warning("no PDQ hash for capture %s: %s", capture_id, exc)
            hashes = medium_hashes(data)
        return record_medium(session, capture_id, kind, hashes, self.pdq_max_distance)
