"""Regex pieces shared by every language, and phrases of a lexicon turned into regexes."""

from __future__ import annotations

import re
from collections.abc import Iterable

from marsad.text.normalize import to_ascii_digits

# Regex pieces shared by every language. GAP: spaces and the invisible joiners/bidi marks that
# sit between words in Persian and mixed-direction text.
GAP = r"[\s\u200c\u200d\u200e\u200f]"
SEP = rf"(?:{GAP}*[,،]{GAP}*|{GAP}+)"
OPTIONAL_SEP = rf"{GAP}*"
WORD_START = r"(?<![\w\u200c\u200d])"
WORD_END = r"(?![\w\u200c\u200d])"
DAY_START = r"(?<![\w\u200c\u200d.,/:])"  # "-" allowed: the 5 of "3-5 January"
# A number may follow a letter (و2017, ב-2014) but not another number's digits or separators.
NUMBER_START = r"(?<![0-9.,/:])(?<![0-9]-)"
NUMBER_END = r"(?![\w\u200c\u200d]|[.,/:\-][0-9]|\s*%)"
# A year after a month may be glued to a following word of a non-Latin script (۱۳۸۷ساعت).
YEAR_END = r"(?![0-9A-Za-z_\u200c\u200d]|[.,/:\-][0-9]|\s*%)"
NEVER = "(?!)"
DAY_MONTH_SEP = rf"(?:{GAP}*-{GAP}*|{GAP}+)"
CLAUSE_BREAK = re.compile(r"[.,،!?؟;:\n۔]")
PLACEHOLDER = re.compile(r"(\{\w+\})")


class PhrasePatterns:
    """Turns a lexicon's phrases into regexes over text folded the same way: native digits to
    ASCII and letter variants to one letter (same length, so offsets hold), and characters that
    may stretch a word (harakat, tatweel) to one `stretch` character allowed after any letter."""

    def __init__(self, letter_variants: Iterable[str], stretchers: str) -> None:
        mapping = {char: group[0] for group in letter_variants for char in group[1:]}
        self.stretch = stretchers[:1]
        mapping.update({char: self.stretch for char in stretchers[1:]})
        self.table = str.maketrans(mapping)
        self.stretch_pattern = f"{re.escape(self.stretch)}*" if self.stretch else ""

    def fold(self, text: str) -> str:
        return to_ascii_digits(text).translate(self.table)

    def pattern(self, phrase: str, article: str = "") -> str:
        """Spaces match any gap, a ZWNJ an optional one, and with `article` every word may
        carry the article or not."""
        words = []
        for word in self.fold(phrase).split():
            prefix = ""
            if article:
                prefix = f"(?:{self.letters(article)})?"
                if word.startswith(article) and len(word) > len(article) + 1:
                    word = word[len(article) :]
            pieces = (self.letters(piece) for piece in word.split("\u200c"))
            words.append(prefix + f"{GAP}?".join(pieces))
        return f"{GAP}+".join(words)

    def letters(self, text: str) -> str:
        return "".join(re.escape(char) + self.stretch_pattern for char in text)

    def any_of(self, phrases: Iterable[str], article: str = "", then: str = "") -> str:
        """One group matching any of `phrases`, longest first. `then` follows each phrase that
        ends in a letter (the gap to the next word); after "-" or "'" the gap is optional."""
        patterns = []
        for phrase in sorted(set(phrases), key=len, reverse=True):
            pattern = self.pattern(phrase, article)
            if then:
                pattern += then if phrase[-1].isalnum() else OPTIONAL_SEP
            patterns.append(pattern)
        return f"(?:{'|'.join(patterns)})" if patterns else NEVER

    def key(self, text: str, article: str = "") -> str:
        """The lookup form of a matched phrase: folded, unstretched, casefolded, one space
        between words, and without the article."""
        folded = self.fold(text).replace(self.stretch, "") if self.stretch else self.fold(text)
        words = re.split(f"{GAP}+", folded.casefold().strip())
        if article:
            words = [
                w[len(article) :] if w.startswith(article) and len(w) > len(article) + 1 else w
                for w in words
            ]
        return " ".join(words)
