"""A conservative fuzzy pass for Latin-script names the KB does not spell that way.

Runs of capitalised words ("Akram al-Kaaby", "Kataib Hizbulla") not already linked are compared
with the KB's Latin-script aliases of the same number of words (rapidfuzz). A candidate links
only when it is close (>= `min_score`), starts with the same letter, each word is near its
counterpart, and no other entity scores nearly as well; single words need to be long, since
short words are too easily near a name. Only name-shaped spans are tried: not one opening with
an everyday word ("The Angolan"), not a name the KB knows exactly but left unlinked (a surname
without context), not a possessive's ending; and a word derived from a name (Israeli, Kuwaiti:
a demonym, an affiliation rather than a mention of the country) is not a spelling of it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from rapidfuzz import fuzz, process

from marsad.link.common_words import is_common_word
from marsad.link.matcher import AliasMatcher, MentionMatch

# A capitalised word, optionally led by a lower-case article or particle (al-Kaabi, bin Laden).
NAME_RUN = re.compile(
    r"(?:\b(?:al|el|ad|ash|as|at|az|an|ar|bin|ibn|abu)[- ])?[A-Z][\w'’]+"
    r"(?:(?:[ -](?:(?:al|el|ad|ash|as|at|az|an|ar|bin|ibn|abu)[- ])?[A-Z][\w'’]+))*"
)
ARTICLE = re.compile(r"^(?:al|el)[- ]")
MAX_WORDS = 4
MIN_SINGLE_WORD_LETTERS = 7
RIVAL_MARGIN = 3.0
MIN_WORD_SCORE = 80.0  # each word of a multi-word name against its counterpart
ORDINARY_WORD_ZIPF = 4.0  # an English word this frequent does not open a name
POSSESSIVE = re.compile(r"['’]s?$")


def word_count(key: str) -> int:
    return len(key.replace("-", " ").split())


def _letter_words(key: str) -> list[str]:
    """The words of a key, letters only (Kata'ib and Kataeb compare as kataib and kataeb)."""
    return ["".join(c for c in word if c.isalpha()) for word in key.replace("-", " ").split()]


def initial(key: str) -> str:
    """The first letter after any article: names differ in spelling, rarely in their start."""
    return ARTICLE.sub("", key)[:1]


class FuzzyLatinMatcher:
    def __init__(self, matcher: AliasMatcher, min_score: float = 90.0) -> None:
        self.normalizer = matcher.normalizer
        self.min_score = min_score
        # words -> (keys, entity of each key); only names that link on their own
        grouped: dict[int, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
        for key, entry in matcher.entries.items():
            if entry.script == "Latn" and entry.sole is not None and not entry.contextual:
                keys, entities = grouped[word_count(key)]
                keys.append(key)
                entities.append(entry.sole)
        self.by_words = dict(grouped)
        self.known_keys = matcher.entries.keys()

    def find_mentions(self, text: str, linked: Sequence[MentionMatch]) -> list[MentionMatch]:
        taken = bytearray(len(text))
        for mention in linked:
            taken[mention.start : mention.end] = b"\x01" * (mention.end - mention.start)
        found: list[MentionMatch] = []
        for run in NAME_RUN.finditer(text):
            found.extend(self._in_run(text, run.start(), run.end(), taken))
        return found

    def _in_run(self, text: str, start: int, end: int, taken: bytearray) -> list[MentionMatch]:
        words = [m.span() for m in re.finditer(r"[^\s]+", text[start:end])]
        found = []
        for size in range(min(MAX_WORDS, len(words)), 0, -1):
            for first in range(len(words) - size + 1):
                span_start = start + words[first][0]
                span_end = start + words[first + size - 1][1]
                if 1 in taken[span_start:span_end]:
                    continue
                mention = self._best(text, span_start, span_end)
                if mention is not None:
                    found.append(mention)
                    taken[span_start:span_end] = b"\x01" * (span_end - span_start)
        return found

    def _name_shaped(self, surface: str, key: str) -> bool:
        first = surface.split()[0]
        if is_common_word(first.casefold(), "en", ORDINARY_WORD_ZIPF):
            return False
        return key not in self.known_keys

    def _best(self, text: str, start: int, end: int) -> MentionMatch | None:
        possessive = POSSESSIVE.search(text[start:end])
        if possessive is not None:
            end -= len(possessive.group())
        surface = text[start:end]
        key = self.normalizer.key(surface)
        if not key or not self._name_shaped(surface, key):
            return None
        words = word_count(key)
        if words == 1 and sum(c.isalpha() for c in key) < MIN_SINGLE_WORD_LETTERS:
            return None
        keys, entities = self.by_words.get(words, ([], []))
        if not keys:
            return None
        results = process.extract(
            key, keys, scorer=fuzz.ratio, score_cutoff=self.min_score - RIVAL_MARGIN, limit=5
        )
        if not results or results[0][1] < self.min_score:
            return None
        best_key, score, index = results[0]
        entity = entities[index]
        if initial(best_key) != initial(key) or key.startswith(best_key):
            return None
        pairs = zip(_letter_words(key), _letter_words(best_key), strict=False)
        if any(fuzz.ratio(mine, theirs) < MIN_WORD_SCORE for mine, theirs in pairs):
            return None
        if any(entities[i] != entity for _, _, i in results[1:]):
            return None  # two entities are nearly as close: not ours to choose
        return MentionMatch(entity, surface, start, end, "fuzzy", round(0.9 * score / 100, 3))
