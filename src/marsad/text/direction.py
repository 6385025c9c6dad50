"""Writing direction of a text, as browsers decide `dir="auto"`: its first strong character."""

from __future__ import annotations

import unicodedata

RIGHT_TO_LEFT = frozenset({"R", "AL"})


def text_direction(text: str, default: str = "ltr") -> str:
    """ "rtl" when the first character with a strong direction is Arabic-script, Hebrew, ...
    (Unicode bidi classes R and AL), "ltr" when it is Latin, ...; `default` without one."""
    for character in text:
        direction = unicodedata.bidirectional(character)
        if direction in RIGHT_TO_LEFT:
            return "rtl"
        if direction == "L":
            return "ltr"
    return default
