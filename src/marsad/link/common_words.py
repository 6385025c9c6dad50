"""Is this an everyday word of a language? Word frequencies from wordfreq (ships lists for ar,
fa, he, ur, en and more, offline), on its Zipf scale: 3 is about once per million words.

Names are frequent words too (حماس, Israel), so frequency alone cannot tell a name from a word;
the matcher asks this only where a name is out of place: an alias of another language found in
this one (Persian مدینه folds to Arabic مدينة "city"), a clitic split off a token that is a word
as a whole (ورقة "paper" is not و + Raqqa), a generated spelling, a lower-case Latin surface.
"""

from __future__ import annotations

from functools import lru_cache

# From this Zipf frequency a word counts as common: about once per million words.
COMMON_ZIPF = 3.0


@lru_cache(maxsize=1)
def _languages() -> frozenset[str]:
    from wordfreq import available_languages  # loads its lists: only when a word is looked up

    return frozenset(available_languages())


@lru_cache(maxsize=200_000)
def word_zipf(word: str, language: str | None) -> float:
    """The Zipf frequency of `word` in `language`; 0 for a language wordfreq has no list for."""
    if not language or language not in _languages() or not word.strip():
        return 0.0
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, language))


def is_common_word(word: str, language: str | None, threshold: float = COMMON_ZIPF) -> bool:
    """Whether `word` is at least as frequent as `threshold` in `language`."""
    return word_zipf(word, language) >= threshold
