"""Segmentation: sentences and word tokens with offsets, and clitic-stripped word variants.

Language knowledge (clitic prefixes, abbreviations that end in a full stop) lives in
data/lexicons/<lang>/segment.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from marsad.datafiles import language_lexicons
from marsad.errors import ConfigError

# A word: letters, digits and combining marks, holding together across the Persian
# zero-width non-joiner, apostrophes, Hebrew geresh/gershayim (צה"ל) and inner hyphens.
WORD = re.compile(r"[^\W_]+(?:[\u200c\u200d'’\"״׳\-][^\W_]+)*")
# Sentence ends: . ! ? Arabic question mark, Urdu full stop, ellipsis; closing quotes and
# brackets stay with the sentence. A newline always ends one.
SENTENCE_END = re.compile(r"[.!?؟۔…]+[\"'”’»)\]]*(?=\s|$)|\n+")


@dataclass(frozen=True)
class Segment:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class LanguageSegmentation:
    clitic_prefixes: tuple[str, ...]
    min_stem: int
    abbreviations: frozenset[str]

    @classmethod
    def from_data(cls, language: str, data: dict[str, Any]) -> LanguageSegmentation:
        try:
            prefixes = sorted({str(p) for p in data["clitic_prefixes"]}, key=len, reverse=True)
            return cls(
                clitic_prefixes=tuple(prefixes),
                min_stem=int(data["min_stem"]),
                abbreviations=frozenset(str(a) for a in data["abbreviations"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigError(
                f"lexicons/{language}/segment.yaml: missing or bad field {exc}"
            ) from None


NO_RULES = LanguageSegmentation((), 2, frozenset())


class Segmenter:
    def __init__(self, rules: dict[str, LanguageSegmentation]) -> None:
        self.rules = rules

    @classmethod
    def from_data(cls) -> Segmenter:
        return cls(
            {
                language: LanguageSegmentation.from_data(language, data)
                for language, data in language_lexicons("segment").items()
            }
        )

    def _rules(self, language: str | None) -> LanguageSegmentation:
        return self.rules.get(language or "", NO_RULES)

    def tokens(self, text: str) -> list[Segment]:
        return [Segment(m.start(), m.end(), m.group()) for m in WORD.finditer(text)]

    def sentences(self, text: str, language: str | None = None) -> list[Segment]:
        abbreviations = self._rules(language).abbreviations
        segments: list[Segment] = []
        start = 0
        for match in SENTENCE_END.finditer(text):
            if match.group().startswith(".") and self._ends_in_abbreviation(
                text[start : match.start()], abbreviations
            ):
                continue
            self._add_trimmed(segments, text, start, match.end())
            start = match.end()
        self._add_trimmed(segments, text, start, len(text))
        return segments

    @staticmethod
    def _ends_in_abbreviation(before: str, abbreviations: frozenset[str]) -> bool:
        words = before.rsplit(None, 1)
        last = words[-1] if words else ""
        # "U.S." arrives as "U.S"; a single capital is an initial ("A. Kaabi").
        return last in abbreviations or (len(last) == 1 and last.isupper())

    @staticmethod
    def _add_trimmed(segments: list[Segment], text: str, start: int, end: int) -> None:
        piece = text[start:end]
        stripped = piece.strip()
        if stripped:
            offset = start + (len(piece) - len(piece.lstrip()))
            segments.append(Segment(offset, offset + len(stripped), stripped))

    def clitic_variants(self, word: str, language: str | None) -> list[str]:
        """The word, then each stem left after removing one of the language's proclitics
        (longest first): والنجباء → [والنجباء, نجباء, النجباء]."""
        rules = self._rules(language)
        variants = [word]
        for prefix in rules.clitic_prefixes:
            if word.startswith(prefix) and len(word) - len(prefix) >= rules.min_stem:
                stem = word[len(prefix) :]
                if stem not in variants:
                    variants.append(stem)
        return variants


@cache
def default_segmenter() -> Segmenter:
    return Segmenter.from_data()
