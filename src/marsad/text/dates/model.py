"""The partial date every date reader returns, and the helpers they share."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

CERTAINTIES = ("possible", "likely", "certain")  # weakest first

Spanned = TypeVar("Spanned")


@dataclass(frozen=True)
class PartialDate:
    value: str  # "2020-01-15" / "2020-01" / "2020", always Gregorian
    precision: str  # day | month | year
    certainty: str  # certain | likely | possible
    calendar: str  # gregorian | hijri | jalali | hebrew: how the text wrote it
    expression: str  # the text as written
    start: int
    end: int
    end_value: str | None = None  # the last day/month/year of a range
    anchored: bool = False  # the value depends on the anchor (relative, or no year written)


def weaker(first: str, second: str) -> str:
    """The lesser of two certainties."""
    return min(first, second, key=CERTAINTIES.index)


def without_overlaps(
    items: Iterable[Spanned], span: Callable[[Spanned], tuple[int, int]]
) -> list[Spanned]:
    """Longest first; an item overlapping one already taken is dropped. In text order."""
    taken: list[Spanned] = []
    spans: list[tuple[int, int]] = []
    for item in sorted(items, key=lambda i: (span(i)[0] - span(i)[1], span(i)[0])):
        start, end = span(item)
        index = bisect.bisect_left(spans, (start, end))
        if index > 0 and spans[index - 1][1] > start:
            continue
        if index < len(spans) and spans[index][0] < end:
            continue
        taken.insert(index, item)
        spans.insert(index, (start, end))
    return taken
