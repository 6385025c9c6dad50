"""Per-language glossaries of the domain's frequent terms (`data/lexicons/<lang>/glossary.yaml`),
validated on load: titles, organisational and military vocabulary, event verbs, time words
and the particles that hold a sentence together, each with its English gloss."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
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
            clitics = {str(k): str(v) for k, v in (data.get("clitics") or {}).items()}
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
            clitics=tuple(sorted(clitics.items(), key=lambda item: -len(item[0]))),
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
