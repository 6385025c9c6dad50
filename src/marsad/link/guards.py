"""Checks a hit must pass before it links: the evidence that a name, and not an everyday word,
stands there (the word-frequency side lives in marsad.link.common_words).

- A clitic found in the text (و + رقة) is split off only when the token as a whole is not the
  likelier word (ورقة "paper", وجدت "she found").
- An alias is scoped by language: found in a language none of its aliases belong to, a form
  that is a common word there (Persian مدینه = Arabic مدينة "city") needs evidence nearby.
- In Latin script case tells: a lower-case common word ("said", "the base") or a word written
  unlike the name ("Let" for LeT) does not link; a very common word opening a sentence needs
  evidence.
- A word (or a generated phrase) of another language's alias, where the entity has a name of
  its own in the text's language, needs that entity named nearby: an Arabic writer writes
  تركيا and المنامة, so Persian ترکیه and منامه in Arabic text are the words تركية "Turkish"
  and منامة "dormitory", and a Persian phrase made from an Arabic name without its article
  (دولة إسلامية) is the indefinite "an Islamic state".
- A place name with the definite article right after a definite noun, when it is shaped like
  an adjective (nisba: السعودية) or is an everyday word (القائم), is that noun's adjective
  (الديون السعودية "the Saudi debts", الوضع القائم "the existing situation").
- The definite article written onto an organisation's or person's name that never takes it
  makes a common noun (الحماس "the enthusiasm" is not Hamas).
- A surname right after a different first name (Ruhollah Musawi Khomeini, Musa Sadr) is
  another person.
"""

from __future__ import annotations

import bisect
import enum
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from marsad.link.common_words import is_common_word, word_zipf
from marsad.text.normalize import Normalizer

if TYPE_CHECKING:
    from marsad.link.matcher import Hit, KeyEntry, MentionMatch
    from marsad.link.rules import LinkingRules

LanguageRun = tuple[int, int, str | None]  # start, end, language
VARIANT_ORIGIN = "variant"
# An English word at least this frequent is an ordinary word, not a first name (Zipf scale).
ORDINARY_WORD_ZIPF = 4.0
# A word this frequent (let, said) opening a sentence is capitalised for the sentence's sake.
SENTENCE_OPENER_ZIPF = 5.0
SENTENCE_ENDS = frozenset('.!?؟\n:;"“”«»')
# Quotation marks around a name (صحيفة « الشرق الأوسط » السعودية): skipped when looking for
# the noun an adjective follows.
QUOTES = frozenset("\"“”«»'‘’")
PLACE_KINDS = frozenset({"place", "country"})
# Letters after the article in a definite noun: shorter is a particle (الى "to" once folded).
MIN_DEFINITE_STEM = 3


class Verdict(enum.Enum):
    LINK = "link"
    NEEDS_EVIDENCE = "needs evidence"  # link only with the entity (or its group) nearby
    NEEDS_FULL_NAME = "needs the full name"  # only with the entity itself named nearby
    DROP = "drop"


class LanguageAt:
    """The language of the run holding a position (None outside every run)."""

    def __init__(self, runs: Sequence[LanguageRun]) -> None:
        self.runs = sorted(runs)
        self.starts = [run[0] for run in self.runs]

    def at(self, position: int) -> str | None:
        index = bisect.bisect_right(self.starts, position) - 1
        if index < 0:
            return None
        start, end, language = self.runs[index]
        return language if start <= position < end else None


def generated_word(name: str, key: str, language: str | None) -> bool:
    """A generated single-word spelling that is an everyday word of its language."""
    return " " not in key and is_common_word(name, language)


def _word_end(text: str, position: int) -> int:
    while position < len(text) and text[position].isalnum():
        position += 1
    return position


def _word_start(text: str, position: int) -> int:
    while position > 0 and text[position - 1].isalnum():
        position -= 1
    return position


def _mixed_case(name: str) -> bool:
    """Written with capitals inside a word, like an abbreviation (LeT, HTS's is not)."""
    return any(sum(c.isupper() for c in word) > 1 and not word.isupper() for word in name.split())


def _opens_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t")
    return not before or before[-1] in SENTENCE_ENDS


def _word_before(text: str, start: int) -> str:
    """The word before `start`, across spaces and quotation marks only."""
    left = start
    while left > 0 and (text[left - 1].isspace() or text[left - 1] in QUOTES):
        if text[left - 1] == "\n":
            return ""
        left -= 1
    return text[_word_start(text, left) : left]


def _neighbour_words(text: str, start: int, end: int) -> tuple[str, str]:
    """The word just before `start` and just after `end`, when only spaces separate them."""
    before = after = ""
    left = start
    while left > 0 and text[left - 1] == " ":
        left -= 1
    if left < start:
        before = text[_word_start(text, left) : left]
    right = end
    while right < len(text) and text[right] == " ":
        right += 1
    if right > end:
        after = text[right : _word_end(text, right)]
    return before, after


class MentionGuard:
    def __init__(self, rules: LinkingRules, normalizer: Normalizer) -> None:
        self.rules = rules
        self.titles = rules.name_titles
        self.normalizer = normalizer

    def check(
        self,
        text: str,
        start: int,
        end: int,
        hit: Hit,
        split: tuple[int, int] | None,
        language: str | None,
    ) -> Verdict:
        """`split`: where the token starts and where the name in it starts, when a clitic
        was split off in the text."""
        entry = hit.entry
        surface = text[start:end]
        if split is not None and self._token_is_a_word(text, *split, language):
            return Verdict.DROP
        if entry.script == "Latn":
            return self._latin(text, start, surface, entry, language)
        if self._article_on_a_bare_name(text, start, split, entry):
            return Verdict.DROP
        if self._attributive(text, start, entry):
            return Verdict.DROP
        foreign = (
            language is not None and None not in entry.languages and language not in entry.languages
        )
        if not foreign:
            return Verdict.LINK
        # A phrase the KB itself holds is no accident of spelling (حزب الله in Persian); a
        # generated one may be (دولة إسلامية from الدولة الإسلامية).
        single = " " not in surface
        if language in entry.native_languages and (single or not entry.attested):
            return Verdict.NEEDS_FULL_NAME
        if single and is_common_word(surface, language):
            return Verdict.NEEDS_EVIDENCE
        return Verdict.LINK

    def affiliation(
        self, text: str, start: int, end: int, entry: KeyEntry, language: str | None
    ) -> str | None:
        """The entity an adjective of nationality at start..end names as an affiliation; None
        when the hit is no adjective of the text's language, or is the country's own name
        (السعودية) standing as a noun rather than after one."""
        owners = [
            e for e, found in entry.demonym_of.items() if language is None or language in found
        ]
        if not owners or (entry.script == "Latn" and not text[start].isupper()):
            return None
        # a name standing on its own here (not a surname: al-Iraqi) is a noun unless it follows one
        named_here = bool(entry.direct) and language in entry.languages
        if named_here and not self._attributive(text, start, entry):
            return None
        return owners[0]

    def _article(self, entry: KeyEntry) -> str:
        return self.rules.definite_articles.get(entry.script or "", "")

    def _article_on_a_bare_name(
        self, text: str, start: int, split: tuple[int, int] | None, entry: KeyEntry
    ) -> bool:
        """An organisation's or person's name, which never takes the article, found with it."""
        article = self._article(entry)
        if not article or split is None or not entry.kinds or entry.kinds & PLACE_KINDS:
            return False
        clitic = self.normalizer.key(text[split[0] : split[1]])
        return clitic.endswith(self.rules.definite_forms(entry.script))

    def _attributive(self, text: str, start: int, entry: KeyEntry) -> bool:
        """A place name with the article, right after a definite noun, read as its adjective."""
        article = self._article(entry)
        if not article or not entry.kinds or not entry.kinds <= PLACE_KINDS:
            return False
        word_start = _word_start(text, start)
        word = self.normalizer.key(text[word_start : _word_end(text, start)])
        if not word.startswith(article) or " " in entry.key:
            return False
        endings = self.rules.adjective_endings.get(entry.script or "", ())
        if not (word.endswith(endings) or entry.local):
            return False
        before = self.normalizer.key(_word_before(text, word_start))
        return self._definite(before, entry) and before not in self.rules.place_titles

    def _definite(self, word: str, entry: KeyEntry) -> bool:
        """Whether `word` carries the article (after a clitic, or contracted: للحكومة)."""
        article = self._article(entry)
        prefixes = [
            p for p in self.rules.clitic_prefixes.get(entry.script or "", ()) if p.endswith(article)
        ]
        return any(
            word.startswith(form) and len(word) - len(form) >= MIN_DEFINITE_STEM
            for form in (*self.rules.definite_forms(entry.script), *prefixes)
        )

    def _token_is_a_word(
        self, text: str, token_start: int, name_start: int, language: str | None
    ) -> bool:
        """Whether the token a clitic was split from is likelier a word of its own."""
        token = text[token_start : _word_end(text, name_start)]
        bare = text[name_start : _word_end(text, name_start)]
        return is_common_word(token, language) and word_zipf(token, language) > word_zipf(
            bare, language
        )

    def _latin(
        self, text: str, start: int, surface: str, entry: KeyEntry, language: str | None
    ) -> Verdict:
        if not is_common_word(surface.casefold(), language or "en"):
            return Verdict.LINK
        if surface not in entry.names and (
            surface.islower() or all(_mixed_case(name) for name in entry.names)
        ):
            return Verdict.DROP
        opener = is_common_word(surface.casefold(), language or "en", SENTENCE_OPENER_ZIPF)
        if opener and " " not in surface and _opens_sentence(text, start):
            return Verdict.NEEDS_EVIDENCE
        return Verdict.LINK

    def other_first_name(
        self,
        text: str,
        mention: MentionMatch,
        entry: KeyEntry,
        name_words: Mapping[str, set[str]],
    ) -> bool:
        """Whether a Latin-script surname stands beside a capitalised name word none of its
        candidates has (a different first or last name), titles aside."""
        if entry.script != "Latn":
            return False
        known = set(self.titles)
        for candidate in entry.candidates:
            known |= name_words.get(candidate, set())
        before, after = _neighbour_words(text, mention.start, mention.end)
        return any(self._other_name_word(word, known) for word in (before, after))

    def _other_name_word(self, word: str, known: set[str]) -> bool:
        """A capitalised word that is neither one of `known` nor an ordinary English word
        (capitalised at a sentence start: "Yesterday Nasrallah said")."""
        return (
            word[:1].isupper()
            and self.normalizer.key(word) not in known
            and not is_common_word(word.casefold(), "en", ORDINARY_WORD_ZIPF)
        )
