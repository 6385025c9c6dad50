"""Writing direction of a text, as browsers decide `dir="auto"`: its first strong character,
so Arabic, Farsi, Urdu and Hebrew paragraphs are set right to left."""

from __future__ import annotations

import unicodedata

RTL, LTR = "rtl", "ltr"
RIGHT_TO_LEFT_CLASSES = frozenset({"R", "AL"})


def text_direction(text: str, default: str = LTR) -> str:
    """RTL when the first character with a strong direction is Arabic-script, Hebrew, ...
    (Unicode bidi classes R and AL), LTR when it is Latin, ...; `default` without one."""
    for character in text:
        direction = unicodedata.bidirectional(character)
        if direction in RIGHT_TO_LEFT_CLASSES:
            return RTL
        if direction == "L":
            return LTR
    return default
