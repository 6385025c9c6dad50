"""Per-language event lexicons (data/lexicons/<lang>/events.yaml), validated on load.

A lexicon lists, by taxonomy code, the words that trigger an event, and the cues the coder
reads around them: negation, hypotheticals, reported speech, the prepositions that mark a
role or a place, and for threats the unlinked targets and the severity cues. Phrases are
matched on normalised text (marsad.text.normalize) as whole words, optionally after one of
the language's clitic prefixes; a word ending in `*` matches any ending (`threaten*`), and
`~N` lets up to N words stand between two words (`launched ~3 website`).
Offsets returned are in the original text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import ahocorasick

from marsad.datafiles import language_lexicons
from marsad.errors import ConfigError
from marsad.events.taxonomy import Taxonomy, default_taxonomy
from marsad.store.models.events import EVENT_ROLES
from marsad.text.dates.model import without_overlaps
from marsad.text.normalize import NormalizedText, Normalizer, default_normalizer

WORD_ORDERS = ("svo", "vso", "sov")
# What a preposition may mark besides a role: the event's place, or a grammatical object.
MARKS = (*EVENT_ROLES, "place", "object")
CASUALTIES = ("killed", "wounded")
CONJUNCTION = "conjunction"  # an attached letter joining two names (و, ו)


@dataclass(frozen=True)
class Cue:
    """A phrase found in the text: its label (event type, role, severity ...) and span."""

    label: str
    start: int
    end: int


GAP = re.compile(r"~(\d)")


def _phrase_regex(phrase: str, normalizer: Normalizer) -> str:
    """`launched ~3 website`: up to three words may stand between "launched" and "website"."""
    regex, gap = "", 0
    for word in normalizer.key(phrase).split():
        if GAP.fullmatch(word):
            gap = int(word[1:])
            continue
        piece = re.escape(word[:-1]) + r"\w*" if word.endswith("*") else re.escape(word)
        if regex:
            regex += rf"\s+(?:\S+\s+){{0,{gap}}}" if gap else r"\s+"
        regex += piece
        gap = 0
    return regex


def _anchor(phrase: str, normalizer: Normalizer) -> str:
    """The longest literal piece every match of the phrase contains: its longest word, a
    `*` word without its open ending."""
    words = [w.rstrip("*") for w in normalizer.key(phrase).split() if not GAP.fullmatch(w)]
    return max(words, key=len, default="")


class PhraseSet:
    """Labelled phrases compiled over normalised text; finds them leftmost-longest.

    One Aho-Corasick pass over the sentence (pyahocorasick) finds the labels whose phrases'
    literal anchors occur in it; only those labels' patterns are run. A sentence that holds
    none costs that one pass."""

    def __init__(
        self,
        phrases: Mapping[str, Iterable[str]],
        normalizer: Normalizer,
        clitics: Iterable[str] = (),
        where: str = "",
    ) -> None:
        prefix = "|".join(re.escape(normalizer.key(c)) for c in clitics if c)
        prefix = f"(?:{prefix})?" if prefix else ""
        self.patterns: list[tuple[str, re.Pattern[str]]] = []
        anchors: dict[str, set[int]] = {}
        self._unanchored: set[int] = set()
        for label, items in phrases.items():
            index = len(self.patterns)
            for item in items:
                if not str(item).strip():
                    continue
                anchor = _anchor(str(item), normalizer)
                if anchor:
                    anchors.setdefault(anchor, set()).add(index)
                else:
                    self._unanchored.add(index)
            alternatives = sorted(
                {_phrase_regex(str(p), normalizer) for p in items if str(p).strip()},
                key=len,
                reverse=True,
            )
            if not alternatives:
                continue  # a role no phrase marks in this language
            body = "|".join(alternatives)
            # not after a hyphen: "Israeli-occupied", "US-led" are adjectives, not verbs
            self.patterns.append((label, re.compile(rf"(?<![\w-]){prefix}(?:{body})(?!\w)")))
        self._anchors: ahocorasick.Automaton | None = None
        if anchors:
            self._anchors = ahocorasick.Automaton()
            for anchor, indices in anchors.items():
                self._anchors.add_word(anchor, frozenset(indices))
            self._anchors.make_automaton()

    def _candidates(self, text: str) -> list[int]:
        """The labels (indices into `patterns`) whose anchors occur in `text`."""
        if len(self.patterns) == 1:  # one label: any anchor will do
            hit = self._unanchored or (
                self._anchors is not None and next(self._anchors.iter(text), None) is not None
            )
            return [0] if hit else []
        indices = set(self._unanchored)
        if self._anchors is not None:
            for _, found in self._anchors.iter(text):
                indices |= found
        return sorted(indices)

    def present(self, normalized: NormalizedText) -> bool:
        """Whether any phrase occurs."""
        text = normalized.text
        return any(self.patterns[i][1].search(text) for i in self._candidates(text))

    def find(self, normalized: NormalizedText) -> list[Cue]:
        text = normalized.text
        candidates = self._candidates(text)
        if not candidates:  # most sets, in most sentences: a sentence is read by fourteen
            return []
        found = [
            Cue(label, *normalized.original_span(match.start(), match.end()))
            for label, pattern in (self.patterns[i] for i in candidates)
            for match in pattern.finditer(text)
        ]
        if len(found) < 2:
            return found
        return without_overlaps(found, lambda cue: (cue.start, cue.end))


def _mapping(
    data: Mapping[str, Any], key: str, where: str, allowed: Iterable[str]
) -> dict[str, list[str]]:
    raw = data.get(key) or {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: `{key}` must map labels to lists of phrases")
    allowed = set(allowed)
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise ConfigError(f"{where}: `{key}` has unknown labels {', '.join(unknown)}")
    return {str(label): [str(p) for p in phrases or []] for label, phrases in raw.items()}


def _phrases(data: Mapping[str, Any], key: str, where: str) -> list[str]:
    raw = data.get(key) or []
    if not isinstance(raw, list):
        raise ConfigError(f"{where}: `{key}` must be a list of phrases")
    return [str(p) for p in raw]


class EventLexicon:
    """One language's events.yaml, compiled."""

    def __init__(
        self, language: str, data: Mapping[str, Any], taxonomy: Taxonomy, normalizer: Normalizer
    ) -> None:
        where = f"lexicons/{language}/events.yaml"
        self.language = language
        self.normalizer = normalizer
        self.word_order = str(data.get("word_order", "svo"))
        if self.word_order not in WORD_ORDERS:
            raise ConfigError(f"{where}: word_order must be one of {', '.join(WORD_ORDERS)}")
        clitics = _phrases(data, "clitics", where)
        triggers = _mapping(data, "triggers", where, taxonomy.types)
        if not triggers:
            raise ConfigError(f"{where}: `triggers` must list phrases for some event types")
        self.triggers = PhraseSet(triggers, normalizer, clitics, where)
        cue_sets = {}
        for key in (
            "negation",
            "hypothetical",
            "speech",
            "according_to",
            "conjunctions",
            "anaphora",
            "clause_openers",
            "passive",
            "background",
            "counts",
        ):
            phrases = _phrases(data, key, where)
            if key == "counts":  # a number written out counts too ("twelve people")
                phrases += [str(word) for word in data.get("numbers") or {}]
            cue_sets[key] = (
                PhraseSet({key: phrases}, normalizer, clitics, where) if phrases else None
            )
        self.negation, self.hypothetical = cue_sets["negation"], cue_sets["hypothetical"]
        self.speech, self.according_to = cue_sets["speech"], cue_sets["according_to"]
        self.conjunctions, self.anaphora = cue_sets["conjunctions"], cue_sets["anaphora"]
        self.clause_openers, self.passive = cue_sets["clause_openers"], cue_sets["passive"]
        self.background, self.counts = cue_sets["background"], cue_sets["counts"]
        self.prepositions = PhraseSet(
            _mapping(data, "prepositions", where, MARKS), normalizer, clitics, where
        )
        # "the meeting", "the attack": an event already coded in the document
        self.references = PhraseSet(
            _mapping(data, "references", where, taxonomy.types), normalizer, clitics, where
        )
        self.postpositions = PhraseSet(
            _mapping(data, "postpositions", where, MARKS), normalizer, (), where
        )
        attached = _mapping(data, "attached", where, (*MARKS, CONJUNCTION))
        self.joiners = {normalizer.key(letter) for letter in attached.pop(CONJUNCTION, [])}
        self.attached = {
            normalizer.key(letter): mark for mark, letters in attached.items() for letter in letters
        }
        threats = data.get("threats") or {}
        targets = _phrases(threats, "targets", where)
        self.threat_targets = (
            PhraseSet({"target": targets}, normalizer, clitics, where) if targets else None
        )
        self.severity = PhraseSet(
            _mapping(threats, "severity", where, taxonomy.severities), normalizer, clitics, where
        )
        # "مقتل ثلاثة وإصابة سبعة": casualty words, and number words with their values
        self.casualties = PhraseSet(
            _mapping(data, "casualties", where, CASUALTIES), normalizer, clitics, where
        )
        numbers = data.get("numbers") or {}
        if not isinstance(numbers, dict) or not all(isinstance(v, int) for v in numbers.values()):
            raise ConfigError(f"{where}: `numbers` must map number words to integers")
        self.numbers: dict[str, int] = {
            normalizer.key(str(word)): int(value) for word, value in numbers.items()
        }
        # "the 1994 genocide": a year between these and a noun names the noun, not the event
        self.determiners = {normalizer.key(w) for w in _phrases(data, "determiners", where)}
        self.reach = int(data.get("reach", 4))
        # "A and the evil awful B": lower-case words allowed after a conjunction in a list
        self.list_fillers = int(data.get("list_fillers", 0))
        # "is conducting" is progressive, not passive: verb endings that undo a passive cue
        self.progressive_endings = tuple(
            normalizer.key(e) for e in _phrases(data, "progressive_endings", where)
        )

    def normalize(self, text: str) -> NormalizedText:
        return self.normalizer.normalize(text)


def find(phrases: PhraseSet | None, normalized: NormalizedText) -> list[Cue]:
    return phrases.find(normalized) if phrases is not None else []


class EventLexicons:
    def __init__(self, lexicons: Mapping[str, EventLexicon]) -> None:
        self.lexicons = lexicons

    @classmethod
    def from_data(
        cls, taxonomy: Taxonomy | None = None, normalizer: Normalizer | None = None
    ) -> EventLexicons:
        taxonomy = taxonomy or default_taxonomy()
        normalizer = normalizer or default_normalizer()
        return cls(
            {
                language: EventLexicon(language, data, taxonomy, normalizer)
                for language, data in language_lexicons("events").items()
            }
        )

    def get(self, language: str | None) -> EventLexicon | None:
        return self.lexicons.get((language or "").split("-")[0].lower())


@cache
def default_event_lexicons() -> EventLexicons:
    return EventLexicons.from_data()
