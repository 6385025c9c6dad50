"""Which way a piece of text runs: by its first strongly directional letter (as HTML's
dir="auto" decides), so Arabic, Farsi, Urdu and Hebrew paragraphs are set right to left."""

from __future__ import annotations

import unicodedata

RTL, LTR = "rtl", "ltr"


def text_direction(text: str, default: str = LTR) -> str:
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return LTR
        if kind in ("R", "AL"):
            return RTL
    return default
