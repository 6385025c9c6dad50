"""The `gloss` backend: fully offline, honest about what it is.

Each sentence keeps its word order. Placeholders (names and dates, see protect.py) pass
through and become the KB's canonical names and rendered dates; words and phrases of the
language's glossary (longest match first, after a clitic prefix too) become their English
gloss; numbers are written in ASCII digits; everything else stays in the original script,
marked untranslated (⟨…⟩ in English). Enough to triage a document, never mistaken for MT.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from marsad.config import Settings
from marsad.errors import TranslationBackendNotConfigured
from marsad.text.normalize import Normalizer, default_normalizer, to_ascii_digits
from marsad.translate.glossary import Glossary, glossary_for, glossary_languages
from marsad.translate.protect import PLACEHOLDER_PATTERN
from marsad.translate.render import TargetLanguage, target_language

GLOSS_VERSION = "1"
# Arabic harakat and Hebrew points are not word characters to `re`: inside a word they must
# not split it (صوّت is one word; the normaliser drops the marks when looking it up).
MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0591-\u05c7"
LETTERS = rf"(?:[^\W_]|[{MARKS}])"
GLOSS_WORD = rf"[^\W_]{LETTERS}*(?:[\u200c\u200d'’\"״׳\-]{LETTERS}+)*"
TOKEN = re.compile(
    rf"(?P<placeholder>{PLACEHOLDER_PATTERN.pattern})|(?P<word>{GLOSS_WORD})|(?P<space>\s+)|."
)
NO_SPACE_BEFORE = frozenset(",.;:!?)]}%")
NO_SPACE_AFTER = frozenset("([{")
HYPHENS = frozenset("-־‐")
MIN_STEM = 2
MEMO_LIMIT = 200_000


@dataclass(frozen=True)
class Token:
    kind: str  # placeholder | word | space | mark
    text: str


def tokenize(segment: str) -> list[Token]:
    return [
        Token(
            match.lastgroup if match.lastgroup in ("placeholder", "word", "space") else "mark",
            match.group(),
        )
        for match in TOKEN.finditer(segment)
    ]


class SentenceGlosser:
    """Glosses sentences of one language with its glossary."""

    def __init__(
        self, glossary: Glossary | None, target: TargetLanguage, normalizer: Normalizer
    ) -> None:
        self.glossary = glossary
        self.target = target
        self.normalizer = normalizer
        self._keys: dict[str, str] = {}
        self._clitic_starts: dict[str, list[tuple[str, str]]] = {}
        self._inflections: dict[str, str | None] = {}

    def gloss(self, segment: str) -> str:
        tokens = tokenize(segment)
        out: list[str] = []
        untranslated: list[str] = []

        def flush() -> None:
            if untranslated:
                out.append(self.target.mark_untranslated("".join(untranslated).strip()))
                untranslated.clear()

        index = 0
        while index < len(tokens):
            token = tokens[index]
            if token.kind == "word":
                found = self._match(tokens, index)
                if found is not None:
                    flush()
                    gloss, index = found
                    out.append(gloss)
                    continue
                if token.text.isdigit():
                    flush()
                    out.append(to_ascii_digits(token.text))
                else:
                    untranslated.append(token.text)
            elif token.kind == "space":
                if untranslated:
                    untranslated.append(token.text)
            elif token.kind == "placeholder":
                flush()
                out.append(token.text)
            else:
                flush()
                mark = self._punctuation(token.text)
                if mark:
                    out.append(mark)
            index += 1
        flush()
        return join_words(out)

    def _punctuation(self, mark: str) -> str:
        if self.glossary is not None and mark in self.glossary.punctuation:
            return self.glossary.punctuation[mark]
        return mark if not mark.isspace() and mark not in "\u200c\u200d\u200e\u200f" else ""

    def _key(self, word: str) -> str:
        key = self._keys.get(word)
        if key is None:
            if len(self._keys) > MEMO_LIMIT:  # a long-running worker meets many words
                self._keys.clear()
                self._clitic_starts.clear()
                self._inflections.clear()
            key = self._keys[word] = self.normalizer.key(word)
        return key

    def _starts(self, key: str, glossary: Glossary) -> list[tuple[str, str]]:
        """The word itself, then each stem after a clitic prefix, with the prefix's gloss."""
        starts = self._clitic_starts.get(key)
        if starts is None:
            starts = [("", key)] + [
                (gloss, key[len(prefix) :])
                for prefix, gloss in glossary.clitics
                if key.startswith(prefix) and len(key) - len(prefix) >= MIN_STEM
            ]
            self._clitic_starts[key] = starts
        return starts

    def _inflected(self, key: str, glossary: Glossary, index: int) -> tuple[str, int] | None:
        """One word glossed after cutting an ending (and a clitic): موقعها → website (its)."""
        if key in self._inflections:
            found = self._inflections[key]
            return None if found is None else (found, index + 1)
        found = None
        for clitic_gloss, stem in self._starts(key, glossary):
            for suffix, suffix_gloss in glossary.suffixes:
                base = stem[: -len(suffix)]
                if not stem.endswith(suffix) or len(base) < MIN_STEM:
                    continue
                bases = [base] + [
                    base[: len(base) - len(ending)] + restored
                    for ending, restored in glossary.stem_restores
                    if base.endswith(ending)
                ]
                term = next((glossary.terms[b] for b in bases if b in glossary.terms), None)
                if term is not None:
                    found = " ".join(p for p in (clitic_gloss, term, suffix_gloss) if p)
                    break
            if found is not None:
                break
        self._inflections[key] = found
        return None if found is None else (found, index + 1)

    def _match(self, tokens: list[Token], index: int) -> tuple[str, int] | None:
        """The longest glossary term starting at tokens[index] (words separated by spaces on
        one line), trying the first word as written and after each clitic prefix; or a lone
        clitic written onto the placeholder that follows it (و⟦1⟧ → and ⟦1⟧)."""
        glossary = self.glossary
        if glossary is None:
            return None
        first = self._key(tokens[index].text)
        best: tuple[str, int] | None = None
        best_words = 0
        for clitic_gloss, stem in self._starts(first, glossary):
            sequence, position, words = stem, index, 1
            while True:
                term = glossary.terms.get(sequence)
                if term is not None and words > best_words:
                    gloss = f"{clitic_gloss} {term}" if clitic_gloss else term
                    best, best_words = (gloss, position + 1), words
                following = position + 2
                if (
                    sequence not in glossary.term_starts
                    or following >= len(tokens)
                    or tokens[position + 1].kind != "space"
                    or "\n" in tokens[position + 1].text
                    or tokens[following].kind != "word"
                ):
                    break
                sequence = f"{sequence} {self._key(tokens[following].text)}"
                position, words = following, words + 1
        if best is None:
            best = self._inflected(first, glossary, index)
        if best is not None:
            return best
        # A prefix left alone before a name or date: و⟦1⟧, ב-⟦2⟧ (the hyphen is dropped).
        following = index + 1
        if following < len(tokens) and tokens[following].text in HYPHENS:
            following += 1
        if following < len(tokens) and tokens[following].kind == "placeholder":
            for prefix, gloss in glossary.clitics:
                if first == prefix:
                    return glossary.before_names.get(prefix, gloss), following
        return None


def join_words(pieces: Sequence[str]) -> str:
    text = ""
    for piece in pieces:
        if not piece:
            continue
        if text and piece[0] not in NO_SPACE_BEFORE and text[-1] not in NO_SPACE_AFTER:
            text += " "
        text += piece
    return text


class GlossBackend:
    name = "gloss"
    cacheable = False  # glossing a sentence is cheaper than a database round trip

    def __init__(self, normalize_skip: frozenset[str] = frozenset()) -> None:
        self.normalize_skip = normalize_skip
        self.normalizer = default_normalizer(normalize_skip)
        self._glossers: dict[tuple[str, str], SentenceGlosser] = {}
        # Changes with the code and with any glossary file.
        material = "".join(
            glossary.fingerprint
            for code in glossary_languages()
            if (glossary := glossary_for(code, normalize_skip)) is not None
        )
        self.version = f"{GLOSS_VERSION}-{hashlib.sha256(material.encode()).hexdigest()[:12]}"

    def glosser(self, source_language: str, target_code: str) -> SentenceGlosser:
        key = (source_language, target_code)
        glosser = self._glossers.get(key)
        if glosser is None:
            glossary = glossary_for(source_language, self.normalize_skip)
            if glossary is not None and glossary.target != target_code:
                raise TranslationBackendNotConfigured(
                    f"the {source_language} glossary glosses into {glossary.target}, "
                    f"not {target_code}"
                )
            glosser = SentenceGlosser(glossary, target_language(target_code), self.normalizer)
            self._glossers[key] = glosser
        return glosser

    def translate_batch(
        self, segments: Sequence[str], source_language: str, target_language: str
    ) -> list[str]:
        glosser = self.glosser(source_language, target_language)
        return [glosser.gloss(segment) for segment in segments]


def create(settings: Settings) -> GlossBackend:
    return GlossBackend(settings.normalize_skip)
