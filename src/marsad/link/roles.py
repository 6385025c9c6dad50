"""Roles read in text: "X, the secretary-general of Y", "الأمين العام لحركة Y X", "دبیرکل Y X".

Patterns are data (data/lexicons/<lang>/roles.yaml). They run over the normalised text in which
every linked mention is replaced by a placeholder of its kind, so a pattern speaks of {person}
and {org}, whatever spelling the names had. A found role becomes a relation with its evidence
span; a later bare title ("the secretary-general", "الأمين العام") in the same document becomes
a mention of the person the document gave that office.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from marsad.datafiles import language_lexicons
from marsad.errors import ConfigError
from marsad.link.matcher import MentionMatch
from marsad.text.normalize import NormalizedText, Normalizer, default_normalizer

OPEN, CLOSE = "\ue000", "\ue001"
PERSON = rf"{OPEN}p(?P<person>\d+){CLOSE}"
ORG = rf"{OPEN}o(?P<org>\d+){CLOSE}"
ROLE_CONFIDENCE = 0.85
# Kinds standing as {org} in patterns; anything else (places, ...) stays plain text.
ORG_KINDS = frozenset({"organization", "media_outlet"})


@dataclass(frozen=True)
class RoleRelation:
    subject_id: str
    predicate: str
    object_id: str
    start: int  # evidence, offsets into the original text
    end: int


@dataclass(frozen=True)
class RolePattern:
    regex: re.Pattern[str]
    predicate: str | None  # None: the title that matched decides


@dataclass(frozen=True)
class LanguageRoles:
    titles: dict[str, str]  # normalised title -> predicate
    patterns: tuple[RolePattern, ...]
    bare: dict[str, re.Pattern[str]]  # predicate -> bare title pattern

    @classmethod
    def from_data(
        cls, language: str, data: dict[str, Any], normalizer: Normalizer
    ) -> LanguageRoles:
        try:
            titles = {
                normalizer.key(str(title)): str(predicate)
                for predicate, phrases in data["titles"].items()
                for title in phrases
            }
            any_title = alternation(titles)
            patterns = tuple(
                RolePattern(
                    compile_pattern(
                        normalizer.key(str(item["pattern"])),
                        by_predicate(titles, item["predicate"])
                        if "predicate" in item
                        else any_title,
                    ),
                    str(item["predicate"]) if "predicate" in item else None,
                )
                for item in data["patterns"]
            )
            bare_template = normalizer.key(str(data["bare"]))
            bare = {
                predicate: compile_pattern(bare_template, by_predicate(titles, predicate))
                for predicate in set(titles.values())
            }
        except (KeyError, TypeError, AttributeError, re.error) as exc:
            raise ConfigError(
                f"lexicons/{language}/roles.yaml: missing or malformed field ({exc})"
            ) from None
        return cls(titles, patterns, bare)

    def predicate_of(self, title: str) -> str | None:
        return self.titles.get(title)


def alternation(titles: dict[str, str]) -> str:
    return "|".join(re.escape(t) for t in sorted(titles, key=len, reverse=True))


def by_predicate(titles: dict[str, str], predicate: str) -> str:
    return alternation({t: p for t, p in titles.items() if p == predicate})


def compile_pattern(template: str, titles: str) -> re.Pattern[str]:
    return re.compile(
        template.replace("{person}", PERSON)
        .replace("{org}", ORG)
        .replace("{title}", f"(?P<title>{titles})")
    )


@dataclass(frozen=True)
class MaskedText:
    """Normalised text with mentions as placeholders; `origin[i]` is the normalised offset of
    masked character i (placeholders point at their mention's start, their end at its end)."""

    text: str
    origin: list[int]
    normalized: NormalizedText

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        norm_start = self.origin[start]
        norm_end = self.origin[end - 1] + 1 if end > start else norm_start
        return self.normalized.original_span(norm_start, norm_end)


def normalized_offset(normalized: NormalizedText, original: int) -> int:
    if normalized.origin is None:
        return original
    return bisect.bisect_left(normalized.origin, original)


def mask(
    normalized: NormalizedText,
    mentions: Sequence[MentionMatch],
    kind_of: Callable[[str], str | None],
) -> MaskedText:
    pieces: list[str] = []
    origin: list[int] = []
    position = 0
    for index, mention in enumerate(mentions):
        kind = kind_of(mention.entity_id)
        letter = "p" if kind == "person" else "o" if kind in ORG_KINDS else None
        if letter is None:
            continue
        start = normalized_offset(normalized, mention.start)
        end = normalized_offset(normalized, mention.end)
        if start < position:
            continue
        pieces.append(normalized.text[position:start])
        origin.extend(range(position, start))
        placeholder = f"{OPEN}{letter}{index}{CLOSE}"
        pieces.append(placeholder)
        origin.extend([start] * (len(placeholder) - 1) + [end - 1])
        position = end
    pieces.append(normalized.text[position:])
    origin.extend(range(position, len(normalized.text)))
    return MaskedText("".join(pieces), origin, normalized)


class RoleFinder:
    def __init__(self, languages: dict[str, LanguageRoles], normalizer: Normalizer) -> None:
        self.languages = languages
        self.normalizer = normalizer

    @classmethod
    def from_data(cls, normalizer: Normalizer | None = None) -> RoleFinder:
        normalizer = normalizer or default_normalizer()
        return cls(
            {
                language: LanguageRoles.from_data(language, data, normalizer)
                for language, data in language_lexicons("roles").items()
            },
            normalizer,
        )

    def find(
        self,
        text: str,
        language: str | None,
        mentions: Sequence[MentionMatch],
        kind_of: Callable[[str], str | None],
    ) -> tuple[list[RoleRelation], list[MentionMatch]]:
        """Relations read in `text`, and mentions of their subjects by bare title."""
        rules = self.languages.get(language or "")
        if rules is None or not mentions:
            return [], []
        masked = mask(self.normalizer.normalize(text), mentions, kind_of)
        relations = self._relations(masked, rules, mentions)
        return relations, self._bare_titles(text, masked, rules, relations)

    def _relations(
        self, masked: MaskedText, rules: LanguageRoles, mentions: Sequence[MentionMatch]
    ) -> list[RoleRelation]:
        found: dict[tuple[str, str, str], RoleRelation] = {}
        claimed: list[tuple[int, int]] = []
        for pattern in rules.patterns:
            for match in pattern.regex.finditer(masked.text):
                if any(match.start() < end and start < match.end() for start, end in claimed):
                    continue  # an earlier pattern already read this stretch
                predicate = pattern.predicate or rules.predicate_of(match.group("title"))
                if predicate is None:
                    continue
                person, org = mentions[int(match["person"])], mentions[int(match["org"])]
                start, end = masked.original_span(match.start(), match.end())
                key = (person.entity_id, predicate, org.entity_id)
                found.setdefault(key, RoleRelation(*key, start, end))
                claimed.append((match.start(), match.end()))
        return sorted(found.values(), key=lambda r: r.start)

    def _bare_titles(
        self,
        text: str,
        masked: MaskedText,
        rules: LanguageRoles,
        relations: Sequence[RoleRelation],
    ) -> list[MentionMatch]:
        mentions: list[MentionMatch] = []
        for relation in relations:
            regex = rules.bare[relation.predicate]
            for match in regex.finditer(masked.text):
                title_start, title_end = match.span("title")
                start, end = masked.original_span(title_start, title_end)
                if start < relation.end or any(r.start < end and start < r.end for r in relations):
                    continue
                holder = latest_holder(relations, relation.predicate, start)
                if holder is relation:
                    mentions.append(
                        MentionMatch(
                            relation.subject_id,
                            text[start:end],
                            start,
                            end,
                            "role",
                            ROLE_CONFIDENCE,
                        )
                    )
        return sorted(mentions, key=lambda m: m.start)


def latest_holder(
    relations: Sequence[RoleRelation], predicate: str, position: int
) -> RoleRelation | None:
    """The relation of this office read last before `position`."""
    before = [r for r in relations if r.predicate == predicate and r.end <= position]
    return max(before, key=lambda r: r.end) if before else None


@cache
def default_role_finder() -> RoleFinder:
    return RoleFinder.from_data()
