"""Dates given by reference to another happening: "around the time of Soleimani's funeral",
"بالتزامن مع تشييع سليماني", "همزمان با مراسم تشییع سلیمانی".

This module finds such references in text — a cue, then within a few words a noun naming the
kind of event — from lexicons/<lang>/date_anchors.yaml. Whether the store knows the event (and
so its date) is decided by the dates stage, which matches participants' names in `window`.
Matching runs on normalised text (the Normalizer), offsets are in the original text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from marsad.datafiles import language_lexicons
from marsad.errors import ConfigError
from marsad.text.dates.model import CERTAINTIES
from marsad.text.normalize import NormalizedText, Normalizer, default_normalizer

CLAUSE_BREAK = re.compile(r"[.,،!?؟;:\n۔]")
DEFAULT_REACH = 6


@dataclass(frozen=True)
class EventReference:
    """A phrase dating something by an event of kind `event_type`; offsets in the original."""

    event_type: str
    certainty: str  # the most the cue allows
    start: int  # the cue's start
    noun_end: int  # the end of the event noun
    window: NormalizedText  # the words after the cue (normalised), where names are looked for
    window_start: int  # offset of the window in the original text
    clitics: str  # regex of the prefixes a name may carry (لـ, ו)

    def name_end(self, names: Iterable[str]) -> int | None:
        """Where the first of `names` (normalised keys) found in the window ends, in the
        original text; None when none is there."""
        prefix = f"(?:{self.clitics})?" if self.clitics else ""
        ends = []
        for name in filter(None, names):
            match = re.search(rf"(?<!\w){prefix}{re.escape(name)}(?!\w)", self.window.text)
            if match:
                ends.append(self.window.original_span(match.start(), match.end())[1])
        return self.window_start + min(ends) if ends else None


def _phrase_pattern(phrases: list[str], normalizer: Normalizer) -> str:
    keys = sorted({normalizer.key(phrase).strip() for phrase in phrases if phrase.strip()}, key=len)
    return "|".join(re.escape(key).replace(r"\ ", r"\s+") for key in reversed(keys))


@dataclass(frozen=True)
class _Cue:
    pattern: re.Pattern[str]
    certainty: str


class EventReferenceGrammar:
    """One language's date_anchors.yaml compiled over normalised text."""

    def __init__(self, language: str, data: dict[str, Any], normalizer: Normalizer) -> None:
        where = f"lexicons/{language}/date_anchors.yaml"
        self.normalizer = normalizer
        self.reach = int(data.get("reach", DEFAULT_REACH))
        self.clitics = clitics = _phrase_pattern(list(data.get("clitics") or []), normalizer)
        self.cues: list[_Cue] = []
        for index, entry in enumerate(data.get("cues") or []):
            certainty = entry.get("certainty", "likely")
            if certainty not in CERTAINTIES or not entry.get("phrases"):
                raise ConfigError(f"{where}: cues[{index}] needs phrases and a known certainty")
            pattern = _phrase_pattern(list(entry["phrases"]), normalizer)
            self.cues.append(_Cue(re.compile(rf"(?<!\w)(?:{pattern})"), certainty))
        events = data.get("events")
        if not isinstance(events, dict) or not events:
            raise ConfigError(f"{where}: `events` must map event kinds to nouns")
        prefix = f"(?:{clitics})?" if clitics else ""
        self.nouns = [
            (kind, re.compile(rf"(?<!\w){prefix}(?:{_phrase_pattern(list(nouns), normalizer)})"))
            for kind, nouns in events.items()
        ]

    def find(self, text: str) -> list[EventReference]:
        normalized = self.normalizer.normalize(text)
        found: list[EventReference] = []
        for cue in self.cues:
            for match in cue.pattern.finditer(normalized.text):
                reference = self._reference(normalized, match, cue.certainty)
                if reference is not None:
                    found.append(reference)
        return found

    def _reference(
        self, normalized: NormalizedText, cue: re.Match[str], certainty: str
    ) -> EventReference | None:
        rest = normalized.text[cue.end() :]
        clause = CLAUSE_BREAK.split(rest, maxsplit=1)[0]
        words = list(re.finditer(r"\S+", clause))[: self.reach + 1]
        if not words:
            return None
        window_text = clause[: words[-1].end()]
        nouns = [
            (match.start(), match.end(), kind)
            for kind, pattern in self.nouns
            if (match := pattern.search(window_text))
        ]
        if not nouns:
            return None
        noun_start, noun_end, kind = min(nouns, key=lambda found: (found[0], -found[1]))
        start, _ = normalized.original_span(cue.start(), cue.end())
        window_start, window_end = normalized.original_span(cue.end(), cue.end() + len(window_text))
        _, original_noun_end = normalized.original_span(
            cue.end() + noun_start, cue.end() + noun_end
        )
        window = self.normalizer.normalize(normalized.original[window_start:window_end])
        return EventReference(
            kind, certainty, start, original_noun_end, window, window_start, self.clitics
        )


class EventReferenceFinder:
    def __init__(self, grammars: dict[str, EventReferenceGrammar]) -> None:
        self.grammars = grammars

    @classmethod
    def from_data(cls, normalizer: Normalizer | None = None) -> EventReferenceFinder:
        normalizer = normalizer or default_normalizer()
        return cls(
            {
                language: EventReferenceGrammar(language, data, normalizer)
                for language, data in language_lexicons("date_anchors").items()
            }
        )

    def find(self, text: str, language: str | None) -> list[EventReference]:
        """References in text of `language` (every language's cues when it has no lexicon)."""
        code = (language or "").split("-")[0].lower()
        grammars = [self.grammars[code]] if code in self.grammars else self.grammars.values()
        return [reference for grammar in grammars for reference in grammar.find(text)]


@cache
def default_reference_finder() -> EventReferenceFinder:
    return EventReferenceFinder.from_data()
