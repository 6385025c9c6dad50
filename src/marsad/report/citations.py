"""Citation markers in a report's Markdown, numbered in order of first use.

`[@doc:123]`, `[@capture:45]` and `[@event:7]` cite a document, a capture or an event;
`[@doc:1; @event:2]` cites several at once. The same source cited twice keeps its number.
Markers inside code (fenced or indented blocks, `inline code`) are text, not citations.

Numbered markers are replaced by a private-use sentinel (U+E000 number U+E001) that each
renderer turns into its own footnote mark, so every format numbers the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from markdown_it import MarkdownIt

from marsad.errors import ReportError

CITATION_KINDS = ("doc", "capture", "event")
_ONE = r"@(?:doc|capture|event):\d+"
# A bracket escaped by a backslash is text in CommonMark, and so is the marker it opens.
CITATION = re.compile(rf"(?<!\\)\[({_ONE}(?:\s*[;,]\s*{_ONE})*)\]")
# Anything that looks like a citation but is not one of the forms above.
LOOKS_LIKE_CITATION = re.compile(r"(?<!\\)\[@[^\]\n]*\]")
INLINE_CODE = re.compile(r"(`+)(?:.|\n)*?(?<!`)\1(?!`)")
SENTINEL_OPEN, SENTINEL_CLOSE = "\ue000", "\ue001"
SENTINEL = re.compile(f"{SENTINEL_OPEN}(\\d+){SENTINEL_CLOSE}")
# Marks side by side ([@doc:2; @doc:1]) print as one group: "2,1", not "21".
SENTINEL_RUN = re.compile(f"(?:{SENTINEL_OPEN}\\d+{SENTINEL_CLOSE})+")


def markdown_parser() -> MarkdownIt:
    """The one Markdown dialect of reports: CommonMark with tables, raw HTML off."""
    return MarkdownIt("commonmark", {"html": False}).enable("table")


@dataclass(frozen=True, order=True)
class CitationKey:
    kind: str  # doc | capture | event
    id: int

    def __str__(self) -> str:
        return f"@{self.kind}:{self.id}"


def _code_block_lines(markdown: str) -> set[int]:
    lines: set[int] = set()
    for token in markdown_parser().parse(markdown):
        if token.type in ("fence", "code_block") and token.map:
            lines.update(range(*token.map))
    return lines


def prose_segments(markdown: str) -> Iterator[tuple[str, bool]]:
    """The text in order as (segment, is_prose): code blocks and code spans are not prose."""
    code_lines = _code_block_lines(markdown)
    prose: list[str] = []

    def flush() -> Iterator[tuple[str, bool]]:
        if prose:
            text = "".join(prose)
            prose.clear()
            position = 0
            for span in INLINE_CODE.finditer(text):
                yield text[position : span.start()], True
                yield span.group(), False
                position = span.end()
            yield text[position:], True

    for number, line in enumerate(markdown.splitlines(keepends=True)):
        if number in code_lines:
            yield from flush()
            yield line, False
        else:
            prose.append(line)
    yield from flush()


def map_prose(markdown: str, change: Callable[[str], str]) -> str:
    """`markdown` with `change` applied to its prose and its code left as it is."""
    return "".join(
        change(text) if is_prose else text for text, is_prose in prose_segments(markdown)
    )


@dataclass
class Numbering:
    """Citation keys in order of first use; `number(key)` is 1-based."""

    order: list[CitationKey] = field(default_factory=list)

    def number(self, key: CitationKey) -> int:
        if key not in self.order:
            self.order.append(key)
        return self.order.index(key) + 1


def parse_marker(inner: str) -> list[CitationKey]:
    keys = []
    for part in re.split(r"\s*[;,]\s*", inner.strip()):
        kind, _, number = part.lstrip("@").partition(":")
        keys.append(CitationKey(kind, int(number)))
    return keys


def number_citations(markdown: str) -> tuple[str, Numbering]:
    """The Markdown with every citation replaced by numbered sentinels, and the numbering.
    A marker of an unknown form is an error naming it."""
    numbering = Numbering()
    malformed: list[str] = []

    def replace(text: str) -> str:
        def one(match: re.Match[str]) -> str:
            keys = parse_marker(match.group(1))
            return "".join(f"{SENTINEL_OPEN}{numbering.number(k)}{SENTINEL_CLOSE}" for k in keys)

        replaced = CITATION.sub(one, text)
        malformed.extend(LOOKS_LIKE_CITATION.findall(replaced))
        return replaced

    cleaned = markdown.replace(SENTINEL_OPEN, "").replace(SENTINEL_CLOSE, "")
    result = map_prose(cleaned, replace)
    if malformed:
        raise ReportError(
            f"malformed citation(s) {', '.join(sorted(set(malformed)))}: write "
            f"[@doc:ID], [@capture:ID] or [@event:ID]"
        )
    return result, numbering


def mark_numbers(run: str) -> list[int]:
    """The footnote numbers of a run of sentinels, in order."""
    return [int(number) for number in SENTINEL.findall(run)]


def split_sentinels(text: str) -> Iterator[tuple[str, list[int]]]:
    """`text` as pieces: (plain text, []) and ("", footnote numbers printed together)."""
    position = 0
    for match in SENTINEL_RUN.finditer(text):
        if match.start() > position:
            yield text[position : match.start()], []
        yield "", mark_numbers(match.group())
        position = match.end()
    if position < len(text):
        yield text[position:], []


def cited_keys(markdown: str) -> list[CitationKey]:
    """The sources a report cites in order of first use, markers of unknown form left out
    (for exports of stored reports, which must not fail on one bad marker)."""
    keys: list[CitationKey] = []
    for text, is_prose in prose_segments(markdown):
        if is_prose:
            for match in CITATION.finditer(text):
                keys.extend(key for key in parse_marker(match.group(1)) if key not in keys)
    return keys
