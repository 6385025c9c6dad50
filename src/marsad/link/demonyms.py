"""Adjectives of nationality: "Iranian-backed militias", "الفصائل العراقية", "نیروهای ایرانی" say
who the militias or factions belong to, not that Iran or Iraq is spoken of. The matcher finds
them beside the aliases and returns them as *affiliations* of the noun they qualify (its
head), kept apart from mentions so that events, alerts and exports never read them as the
country named.

Data: data/lexicons/<lang>/demonyms.yaml — per knowledge-base country the adjective's base
form, the endings written onto it, the side its noun stands on, and (English) compounds such
as "-backed" that make a country's name or adjective qualify a noun ("Iran-backed").
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Literal

from marsad.datafiles import language_lexicons
from marsad.errors import ConfigError

Side = Literal["before", "after"]


@dataclass(frozen=True, slots=True)
class AffiliationMatch:
    """A country (or other entity) named by an adjective, as the affiliation of a noun."""

    entity_id: str
    surface: str  # the adjective as written
    start: int
    end: int
    head_start: int | None = None  # the noun it qualifies, when one stands beside it
    head_end: int | None = None


@dataclass(frozen=True)
class Demonym:
    entity_id: str
    form: str  # one inflected form, as written
    language: str


@dataclass(frozen=True)
class DemonymRules:
    """Every language's demonyms, the side their nouns stand on, and compound endings."""

    demonyms: tuple[Demonym, ...]
    heads: Mapping[str, Side]
    compounds: Mapping[str, tuple[str, ...]]

    @classmethod
    def from_data(cls) -> DemonymRules:
        demonyms: list[Demonym] = []
        heads: dict[str, Side] = {}
        compounds: dict[str, tuple[str, ...]] = {}
        for language, data in language_lexicons("demonyms").items():
            try:
                head = str(data.get("head", "before"))
                if head not in ("before", "after"):
                    raise ValueError(f"head must be before or after, not {head!r}")
                heads[language] = "after" if head == "after" else "before"
                compounds[language] = tuple(map(str, data.get("compounds") or ()))
                demonyms.extend(_inflected(language, data))
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                raise ConfigError(
                    f"lexicons/{language}/demonyms.yaml: missing or bad field ({exc})"
                ) from None
        return cls(tuple(demonyms), heads, compounds)

    def compound_after(self, text: str, end: int, language: str | None) -> int:
        """The end of a compound ending ("-backed") written right after `end`; -1 if none."""
        for ending in self.compounds.get(language or "", ()):
            after = end + len(ending)
            if text.startswith(ending, end) and not text[after : after + 1].isalnum():
                return after
        return -1

    def head_of(
        self, text: str, start: int, end: int, language: str | None
    ) -> tuple[int, int] | None:
        """The word the adjective at start..end qualifies: the one before it or after it,
        across spaces only (a comma or a full stop ends the phrase)."""
        side = self.heads.get(language or "", "before")
        while start > 0 and text[start - 1].isalnum():  # the adjective's word, article and all
            start -= 1
        while end < len(text) and text[end].isalnum():
            end += 1
        if side == "after":
            position = end
            while position < len(text) and text[position] == " ":
                position += 1
            word_end = position
            while word_end < len(text) and text[word_end].isalnum():
                word_end += 1
            return (position, word_end) if word_end > position > end else None
        position = start
        while position > 0 and text[position - 1] == " ":
            position -= 1
        word_start = position
        while word_start > 0 and text[word_start - 1].isalnum():
            word_start -= 1
        return (word_start, position) if word_start < position < start else None


def _inflected(language: str, data: Mapping[str, object]) -> Iterator[Demonym]:
    inflections = [str(e) for e in data.get("inflections") or [""]]  # type: ignore[attr-defined]
    entries = data["demonyms"]
    if not isinstance(entries, Mapping):
        raise TypeError("demonyms must map entity ids to base forms")
    for entity_id, bases in entries.items():
        for base in bases:
            for ending in inflections:
                yield Demonym(str(entity_id), str(base) + ending, language)


@cache
def default_demonym_rules() -> DemonymRules:
    return DemonymRules.from_data()
