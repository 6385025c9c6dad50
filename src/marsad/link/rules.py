"""The per-language rules the matcher reads: data/lexicons/<lang>/linking.yaml, merged by
script (clitic prefixes, homographs, titles, the definite article)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache

from marsad.datafiles import language_lexicons
from marsad.errors import ConfigError
from marsad.text.normalize import Normalizer, default_normalizer


@dataclass(frozen=True)
class LinkingRules:
    """data/lexicons/<lang>/linking.yaml, merged by script."""

    clitic_prefixes: Mapping[str, frozenset[str]]  # script -> prefixes
    ambiguous_words: frozenset[str]
    not_surnames: frozenset[str]
    # script -> (start of a name, how it is written after ل): ال + ... -> لل...
    contractions: Mapping[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    # script -> endings written onto a name (Hamas's): kept outside the mention
    attached_suffixes: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # Words that stand before a name without being a first name (Sheikh, General): a surname
    # after one of them may still be the KB person's.
    name_titles: frozenset[str] = frozenset()
    # Words that say the next name is a place (مدينة, العاصمة, شهر, העיר).
    place_titles: frozenset[str] = frozenset()
    # script -> its definite article (ال): a name written with it right after a definite noun
    # may be that noun's adjective (الديون السعودية "the Saudi debts")
    definite_articles: Mapping[str, str] = field(default_factory=dict)
    # script -> endings of adjectives made from names (nisba: عراقي, عراقية)
    adjective_endings: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def is_ambiguous(self, key: str, script: str | None) -> bool:
        """Whether `key` is an ambiguous word, alone or with a clitic written onto it (a stored
        variant such as وصور must not link where صور alone would not)."""
        return any(form in self.ambiguous_words for form in self._bare_forms(key, script))

    def _bare_forms(self, key: str, script: str | None) -> Iterable[str]:
        """`key`, and `key` without each clitic it may start with (للعقبة -> عقبة, العقبة)."""
        yield key
        for prefix in self.clitic_prefixes.get(script or "", ()):
            if key.startswith(prefix) and len(key) > len(prefix):
                rest = key[len(prefix) :]
                yield rest
                for start, contracted in self.contractions.get(script or "", ()):
                    if prefix.endswith(contracted):
                        yield start + rest

    def definite_forms(self, script: str | None) -> tuple[str, ...]:
        """The script's article and its contracted spellings (ال, لل); () when it has none."""
        article = self.definite_articles.get(script or "")
        if not article:
            return ()
        contracted = (c for start, c in self.contractions.get(script or "", ()) if start == article)
        return (article, *contracted)

    def written_forms(self, key: str, script: str | None) -> list[str]:
        """The key, and the key as contracted after a prefix (النجباء -> للنجباء)."""
        forms = [key]
        for start, contracted in self.contractions.get(script or "", ()):
            if key.startswith(start):
                forms.append(contracted + key[len(start) :])
        return forms

    @classmethod
    def from_data(cls, normalizer: Normalizer) -> LinkingRules:
        prefixes: dict[str, set[str]] = defaultdict(set)
        ambiguous: set[str] = set()
        not_surnames: set[str] = set()
        contractions: dict[str, list[tuple[str, str]]] = defaultdict(list)
        suffixes: dict[str, set[str]] = defaultdict(set)
        titles: set[str] = set()
        places: set[str] = set()
        articles: dict[str, str] = {}
        endings: dict[str, set[str]] = defaultdict(set)
        for language, data in language_lexicons("linking").items():
            try:
                script = str(data["script"])
                prefixes[script].update(normalizer.key(str(p)) for p in data["clitic_prefixes"])
                ambiguous.update(normalizer.key(str(w)) for w in data["ambiguous_words"])
                not_surnames.update(normalizer.key(str(w)) for w in data.get("not_surnames", []))
                contractions[script].extend(
                    (normalizer.key(str(k)), normalizer.key(str(v)))
                    for k, v in (data.get("contractions") or {}).items()
                )
                suffixes[script].update(
                    normalizer.key(str(e)) for e in data.get("attached_suffixes") or ()
                )
                titles.update(normalizer.key(str(t)) for t in data.get("name_titles") or ())
                places.update(normalizer.key(str(t)) for t in data.get("place_titles") or ())
                if data.get("definite_article"):
                    articles[script] = normalizer.key(str(data["definite_article"]))
                endings[script].update(
                    normalizer.key(str(e)) for e in data.get("adjective_endings") or ()
                )
            except (KeyError, TypeError) as exc:
                raise ConfigError(
                    f"lexicons/{language}/linking.yaml: missing or bad field {exc}"
                ) from None
        return cls(
            {script: frozenset(found) for script, found in prefixes.items()},
            frozenset(ambiguous),
            frozenset(not_surnames),
            {script: tuple(pairs) for script, pairs in contractions.items()},
            {script: frozenset(found) for script, found in suffixes.items()},
            frozenset(titles),
            frozenset(places),
            articles,
            {
                script: tuple(sorted(found, key=len, reverse=True))
                for script, found in endings.items()
            },
        )


@cache
def default_linking_rules() -> LinkingRules:
    return LinkingRules.from_data(default_normalizer())
