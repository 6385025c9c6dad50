"""Snippets of the original text around the words a query matched, with the matched words
marked. Matching runs on the normalised text; offsets map back to the original, so the
snippet shows the document's own spelling (hamza, diacritics and all)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from marsad.text.normalize import Normalizer

SNIPPET_CHARS = 240
# Matches are looked for in the first part of a long text only: a snippet needs one.
SCAN_CHARS = 20_000


@dataclass(frozen=True)
class SnippetPart:
    text: str
    matched: bool


@dataclass(frozen=True)
class Snippet:
    parts: tuple[SnippetPart, ...]
    starts_mid_text: bool
    ends_mid_text: bool

    @property
    def text(self) -> str:
        return "".join(part.text for part in self.parts)


def term_spans(normalizer: Normalizer, text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Original-text spans of every whole-word occurrence of the (normalised) terms."""
    if not terms:
        return []
    normalized = normalizer.normalize(text[:SCAN_CHARS])
    return [
        normalized.original_span(m.start(), m.end())
        for m in _whole_words(tuple(terms)).finditer(normalized.text)
    ]


@lru_cache(maxsize=64)
def _whole_words(terms: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern per query, not per hit: a page snippets twenty documents for one query."""
    longest_first = sorted(terms, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, longest_first)) + r")(?!\w)")


def snippet_of(
    normalizer: Normalizer, text: str, terms: list[str], width: int = SNIPPET_CHARS
) -> Snippet:
    spans = term_spans(normalizer, text, terms)
    first = spans[0][0] if spans else 0
    start = max(0, first - width // 3)
    if start:  # begin at a word boundary
        space = text.rfind(" ", 0, start)
        start = space + 1 if space >= 0 and start - space < 30 else start
    end = min(len(text), start + width)
    parts: list[SnippetPart] = []
    cursor = start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        if span_start > cursor:
            parts.append(SnippetPart(text[cursor:span_start], False))
        parts.append(SnippetPart(text[span_start:span_end], True))
        cursor = span_end
    if cursor < end:
        parts.append(SnippetPart(text[cursor:end], False))
    return Snippet(tuple(parts), start > 0, end < len(text))
