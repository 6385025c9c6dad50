"""Alias variants: the other ways newsrooms write a name the KB holds, generated from data.

Latin transliterations (data/transliteration.yaml: al-/el-/none, ' ʿ ’ or nothing, spelling
families such as Ka'bi/Kaabi/Kabi, ou/u, q/k, dh/z ...), Persian and Urdu spellings of Arabic
names and clitic or possessive forms (data/lexicons/<lang>/aliases.yaml: لحركة, وحماس,
בחיזבאללה, Hamas's). Variants are kept only when their normalised form is new, since the
matcher folds everything the Normalizer folds (case, alef/hamza, ی/ي, ک/ك ...).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from marsad.datafiles import DATA_DIR, LEXICON_DIR, language_lexicons, load_yaml
from marsad.errors import ConfigError
from marsad.text.normalize import Normalizer, default_normalizer

TRANSLITERATION_FILE = DATA_DIR / "transliteration.yaml"
# Unicode names of letters begin with their script: "ARABIC LETTER ALEF", "HEBREW LETTER BET".
SCRIPT_CODES = {"LATIN": "Latn", "ARABIC": "Arab", "HEBREW": "Hebr", "CYRILLIC": "Cyrl"}


@cache
def _letter_script(char: str) -> str | None:
    """The first word of a letter's Unicode name; None for what is not a letter. Cached: a
    KB sync asks it for every character of ~30,000 names, drawn from a few alphabets."""
    return unicodedata.name(char, "UNKNOWN").split()[0] if char.isalpha() else None


def detect_script(name: str, codes: Mapping[str, str] = SCRIPT_CODES) -> str | None:
    """The ISO 15924 code of the script most of the letters of `name` are written in."""
    counts = Counter(script for script in map(_letter_script, name) if script is not None)
    if not counts:
        return None
    script = counts.most_common(1)[0][0]
    return codes.get(script, script.title()[:16])


def _keep_case(matched: str, replacement: str) -> str:
    """ "Qassem" → "Kassem", "al-" → "el-": a capital stays a capital."""
    if matched[:1].isupper() and replacement:
        return replacement[0].upper() + replacement[1:]
    return replacement


@dataclass(frozen=True)
class Rewrite:
    """Replace every match of `pattern` with one alternative: one new spelling per alternative."""

    pattern: re.Pattern[str]
    alternatives: tuple[str, ...]

    @classmethod
    def from_data(cls, data: Mapping[str, Any], flags: int = 0) -> Rewrite:
        return cls(re.compile(str(data["pattern"]), flags), tuple(map(str, data["alternatives"])))

    @classmethod
    def family(cls, members: Sequence[str]) -> Rewrite:
        """Whole-word spellings of one name, each replaceable by any other."""
        alternation = "|".join(re.escape(m) for m in sorted(members, key=len, reverse=True))
        pattern = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE)
        return cls(pattern, tuple(members))

    def apply(self, text: str) -> list[str]:
        if not self.pattern.search(text):
            return []
        return [
            self.pattern.sub(lambda m, alt=alt: _keep_case(m.group(), alt), text)  # type: ignore[misc]
            for alt in self.alternatives
        ]


def expand(name: str, rewrites: Iterable[Rewrite], limit: int, key: Any = str) -> list[str]:
    """`name` and its rewrites, each rewrite applied to every form found so far, at most
    `limit` distinct forms (by `key`), in a stable order."""
    forms: dict[str, str] = {key(name): name}
    for rewrite in rewrites:
        for form in list(forms.values()):
            for new in rewrite.apply(form):
                if len(forms) >= limit:
                    return list(forms.values())
                forms.setdefault(key(new), new)
    return list(forms.values())


@dataclass(frozen=True)
class LatinRules:
    axes: tuple[Rewrite, ...]
    max_variants: int
    min_single_word_letters: int

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> LatinRules:
        try:
            latin = data["latin"]
            axes: list[Rewrite] = []
            for axis in latin["axes"]:
                if "families" in axis:
                    axes.extend(Rewrite.family(list(map(str, f))) for f in axis["families"])
                elif "rules" in axis:
                    axes.extend(Rewrite.from_data(r, re.IGNORECASE) for r in axis["rules"])
                else:
                    axes.append(Rewrite.from_data(axis, re.IGNORECASE))
            return cls(
                tuple(axes), int(latin["max_variants"]), int(latin["min_single_word_letters"])
            )
        except (KeyError, TypeError, ValueError, re.error) as exc:
            raise ConfigError(f"{TRANSLITERATION_FILE}: malformed rule ({exc})") from None


@dataclass(frozen=True)
class LanguageRules:
    """data/lexicons/<lang>/aliases.yaml."""

    proclitics: tuple[str, ...] = ()
    contractions: Mapping[str, str] = field(default_factory=dict)
    joinable: tuple[Rewrite, ...] = ()
    from_arabic: tuple[Rewrite, ...] = ()
    possessives: tuple[str, ...] = ()
    possessives_after_s: tuple[str, ...] = ()

    @classmethod
    def from_data(cls, language: str, data: Mapping[str, Any]) -> LanguageRules:
        try:
            return cls(
                proclitics=tuple(map(str, data.get("proclitics") or ())),
                contractions={str(k): str(v) for k, v in (data.get("contractions") or {}).items()},
                joinable=tuple(Rewrite.from_data(r) for r in data.get("joinable") or ()),
                from_arabic=tuple(Rewrite.from_data(r) for r in data.get("from_arabic") or ()),
                possessives=tuple(map(str, data.get("possessives") or ())),
                possessives_after_s=tuple(map(str, data.get("possessives_after_s") or ())),
            )
        except (KeyError, TypeError, AttributeError, re.error) as exc:
            path = LEXICON_DIR / language / "aliases.yaml"
            raise ConfigError(f"{path}: malformed rule ({exc})") from None

    def attached_forms(self, name: str) -> list[str]:
        """The name with a proclitic written onto it, or with a possessive ending."""
        forms = []
        for clitic in self.proclitics:
            joined = clitic + name
            for written, contracted in self.contractions.items():
                if joined.startswith(written):
                    joined = contracted + joined[len(written) :]
            forms.append(joined)
        endings = self.possessives_after_s if name.endswith("s") else self.possessives
        forms.extend(name + ending for ending in endings)
        return forms


@dataclass(frozen=True)
class AliasVariant:
    name: str
    language: str | None


class VariantGenerator:
    def __init__(
        self,
        latin: LatinRules,
        languages: Mapping[str, LanguageRules],
        normalizer: Normalizer | None = None,
    ) -> None:
        self.latin = latin
        self.languages = languages
        self.normalizer = normalizer or default_normalizer()

    @classmethod
    def from_data(cls, normalizer: Normalizer | None = None) -> VariantGenerator:
        latin = LatinRules.from_data(load_yaml(TRANSLITERATION_FILE))
        languages = {
            language: LanguageRules.from_data(language, data)
            for language, data in language_lexicons("aliases").items()
        }
        return cls(latin, languages, normalizer)

    def rules(self, language: str | None) -> LanguageRules:
        return self.languages.get(language or "", LanguageRules())

    def spellings(self, name: str, language: str | None) -> list[str]:
        """Other spellings in the same language (and script)."""
        limit = self.latin.max_variants
        if detect_script(name) == "Latn":
            forms = expand(name, self.latin.axes, limit, self.normalizer.key)
            forms = [f for f in forms if f == name or self._long_enough(f)]
        else:
            forms = [name]
        joinable = self.rules(language).joinable
        return [v for form in forms for v in expand(form, joinable, limit, self.normalizer.key)]

    def _long_enough(self, form: str) -> bool:
        words = form.split()
        return (
            len(words) > 1 or sum(c.isalpha() for c in form) >= self.latin.min_single_word_letters
        )

    def variants(self, name: str, language: str | None) -> list[AliasVariant]:
        """Every variant of one alias, without the alias itself, one per normalised form."""
        found: dict[str, AliasVariant] = {self.normalizer.key(name): AliasVariant(name, language)}

        def add(form: str, form_language: str | None) -> None:
            found.setdefault(self.normalizer.key(form), AliasVariant(form, form_language))

        spellings = self.spellings(name, language)
        for form in spellings:
            add(form, language)
        if language == "ar":
            for other, rules in self.languages.items():
                if rules.from_arabic:
                    limit = self.latin.max_variants
                    for form in expand(name, rules.from_arabic, limit, self.normalizer.key):
                        add(form, other)
        for form in self.rules(language).attached_forms(name):
            add(form, language)
        return list(found.values())[1:]


@cache
def default_variant_generator(skip: frozenset[str] = frozenset()) -> VariantGenerator:
    return VariantGenerator.from_data(default_normalizer(skip))
