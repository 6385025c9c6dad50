"""Hashes of a medium: MD5 beside the SHA-256 every capture has, and PDQ for images — Meta's
open perceptual hash (256 bits as 64 hex digits, via `pdqhash`), with its quality (0-100), so a
re-encoded or resized copy of a picture still matches. A video has a PDQ per keyframe."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.Image import Image

PDQ_HEX_DIGITS = 64
# A keyframe whose PDQ quality is below this (a black or flat frame: fades, title cards) says
# little about the video and would match every video that has one; matchers (ThreatExchange,
# vPDQ) skip them too. It is kept, never matched.
KEYFRAME_MIN_MATCH_QUALITY = 50


@dataclass(frozen=True)
class KeyframeHash:
    index: int  # 0-based, among the keyframes read
    seconds: float | None  # where it is in the video
    pdq: str
    pdq_quality: int


@dataclass(frozen=True)
class MediumHashes:
    sha256: str
    md5: str
    pdq: str | None = None
    pdq_quality: int | None = None
    keyframes: tuple[KeyframeHash, ...] = ()

    @property
    def pdqs(self) -> list[str]:
        """The perceptual hashes matched against the lists: an image's, or a video's keyframes'
        of KEYFRAME_MIN_MATCH_QUALITY and above."""
        own = [self.pdq] if self.pdq is not None else []
        frames = self.keyframes
        return own + [f.pdq for f in frames if f.pdq_quality >= KEYFRAME_MIN_MATCH_QUALITY]


def pdq_of(image: Image) -> tuple[str, int]:
    import numpy as np
    import pdqhash

    pixels = np.asarray(image.convert("RGB"))
    bits, quality = pdqhash.compute(pixels)
    packed = np.packbits(np.asarray(bits, dtype=np.uint8))
    return packed.tobytes().hex(), int(quality)


def hamming(first: str, second: str) -> int:
    """Differing bits of two PDQ hashes (matchers call <= 31 of 256 a match)."""
    return (int(first, 16) ^ int(second, 16)).bit_count()


def medium_hashes(
    data: bytes, image: Image | None = None, keyframes: tuple[KeyframeHash, ...] = ()
) -> MediumHashes:
    """SHA-256 and MD5 of the bytes; PDQ too when the medium is an image (or its keyframes')."""
    pdq, quality = pdq_of(image) if image is not None else (None, None)
    return MediumHashes(
        hashlib.sha256(data).hexdigest(),
        hashlib.md5(data, usedforsecurity=False).hexdigest(),
        pdq,
        quality,
        keyframes,
    )
