"""Per-language glossaries of the domain's frequent terms (`data/lexicons/<lang>/glossary.yaml`),
validated on load: titles, organisational and military vocabulary, event verbs, time words
and the particles that hold a sentence together, each with its English gloss."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from marsad.datafiles import LEXICON_DIR, load_yaml
from marsad.errors import ConfigError
from marsad.text.normalize import Normalizer, default_normalizer
from marsad.text.segment import WORD

GLOSSARY_FILE = "glossary.yaml"


@dataclass(frozen=True)
class Glossary:
    language: str
    target: str
    # Normalised words joined by single spaces → gloss.
    terms: dict[str, str]
    # Prefixes written onto the next word (و "and", ב "in") → gloss; longest first.
    clitics: tuple[tuple[str, str], ...]
    punctuation: dict[str, str]
    longest_term: int
    fingerprint: str
    # The first words of every multi-word term ("أمين" of "أمين العام"): a match grows only
    # while its words are still the start of some term.
    term_starts: frozenset[str] = frozenset()
    # Endings tried when a word matches nothing (ها "its", ים plural) → gloss added ("" for
    # none); longest first. After one is cut, `stem_restores` turns a stem's last letter back
    # into the one the bare word ends with (قنات → قناة, הודעות → הודע → הודעה).
    suffixes: tuple[tuple[str, str], ...] = ()
    # How a clitic left alone before a name or date is glossed when it differs (the article
    # ال before a name: nothing, not "the").
    before_names: dict[str, str] = field(default_factory=dict)
    stem_restores: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_data(
        cls, language: str, data: Any, normalizer: Normalizer, fingerprint: str = ""
    ) -> Glossary:
        where = f"lexicons/{language}/{GLOSSARY_FILE}"
        if not isinstance(data, dict):
            raise ConfigError(f"{where}: must hold a mapping")
        try:
            target = str(data["target"])
            categories = data["terms"]
            clitics = _text_mapping(data.get("clitics"), normalizer)
            suffixes = _text_mapping(data.get("suffixes"), normalizer)
            before_names = _text_mapping(data.get("before_names"), normalizer)
            restores = {
                ending: normalizer.key(letter)
                for ending, letter in _text_mapping(data.get("stem_restores"), normalizer).items()
            }
            punctuation = {str(k): str(v) for k, v in (data.get("punctuation") or {}).items()}
        except (KeyError, TypeError, AttributeError) as exc:
            raise ConfigError(f"{where}: missing or bad field {exc}") from None
        if not isinstance(categories, dict) or not categories:
            raise ConfigError(f"{where}: terms must map categories to term: gloss mappings")
        terms: dict[str, str] = {}
        first_seen: dict[str, str] = {}
        for category, entries in categories.items():
            if not isinstance(entries, dict) or not entries:
                raise ConfigError(f"{where}: category {category!r} must be a non-empty mapping")
            for term, gloss in entries.items():
                if not isinstance(term, str) or not isinstance(gloss, str) or not gloss.strip():
                    raise ConfigError(f"{where}: {category}: {term!r} needs a text gloss")
                key = term_key(term, normalizer)
                if not key:
                    raise ConfigError(f"{where}: {category}: {term!r} has no words")
                if key in terms:
                    raise ConfigError(
                        f"{where}: {term!r} in {category!r} repeats an entry of {first_seen[key]!r}"
                    )
                terms[key] = gloss.strip()
                first_seen[key] = str(category)
        return cls(
            language=language,
            target=target,
            terms=terms,
            clitics=_longest_first(clitics),
            suffixes=_longest_first(suffixes),
            before_names=before_names,
            stem_restores=tuple(restores.items()),
            punctuation=punctuation,
            longest_term=max(key.count(" ") + 1 for key in terms),
            fingerprint=fingerprint,
            term_starts=frozenset(
                " ".join(words[:count])
                for words in (key.split(" ") for key in terms)
                for count in range(1, len(words))
            ),
        )

    def __len__(self) -> int:
        return len(self.terms)


def _text_mapping(raw: Any, normalizer: Normalizer) -> dict[str, str]:
    """A mapping of normalised affix → text (None or "" allowed as "no gloss")."""
    return {normalizer.key(str(k)): "" if v is None else str(v) for k, v in (raw or {}).items()}


def _longest_first(mapping: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(mapping.items(), key=lambda item: -len(item[0])))


def term_key(words: str, normalizer: Normalizer) -> str:
    return " ".join(normalizer.key(match.group()) for match in WORD.finditer(words))


@cache
def glossary_for(language: str, skip: frozenset[str] = frozenset()) -> Glossary | None:
    """The shipped glossary of a language, or None when it has none."""
    path = LEXICON_DIR / language / GLOSSARY_FILE
    if not path.exists():
        return None
    fingerprint = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return Glossary.from_data(language, load_yaml(path), default_normalizer(skip), fingerprint)


def glossary_languages() -> list[str]:
    return sorted(path.parent.name for path in LEXICON_DIR.glob(f"*/{GLOSSARY_FILE}"))
