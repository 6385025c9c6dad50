"""Does a document match a rule? Each condition that holds gives a reason, kept with the alert.

Keywords are compared on the normalised text (any script: diacritics, letter forms, digits and
case folded by `marsad.text.normalize`), as words: a clitic prefix or a word ending of the
language may be written onto them (والنجباء matches النجباء, بياناً matches بيان), other letters
may not ("crisis" does not match "ISIS"). Prefixes come from `data/lexicons/<lang>/linking.yaml`,
endings from `data/lexicons/<lang>/keywords.yaml`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from marsad.alert.rules import MEMBER_PREDICATES, Conditions
from marsad.cluster.stories import is_first_appearance
from marsad.datafiles import language_lexicons
from marsad.errors import ConfigError
from marsad.link.aliases import detect_script
from marsad.link.matcher import LinkingRules
from marsad.media.attached import media_of
from marsad.referral.reappear import referred_content_in
from marsad.store.models import Document, Entity, Event, EventSource, Mention, Relation
from marsad.text.normalize import NormalizedText, Normalizer

Reason = dict[str, Any]
QUOTE_CONTEXT = 60
MAX_MEMBER_DEPTH = 4  # branches of branches: enough for real organisations, no runaway loops


@dataclass(frozen=True)
class KeywordPattern:
    keyword: str
    pattern: re.Pattern[str]


def word_endings(normalizer: Normalizer) -> set[str]:
    """Every language's `word_endings` (keywords.yaml), normalised; checked on load."""
    endings: set[str] = set()
    for language, data in language_lexicons("keywords").items():
        found = data.get("word_endings")
        if not isinstance(found, list) or not all(isinstance(e, str) and e for e in found):
            raise ConfigError(f"lexicons/{language}/keywords.yaml: word_endings must list strings")
        endings.update(normalizer.key(ending) for ending in found)
    return endings - {""}


@cache
def _linking_rules(normalizer: Normalizer) -> LinkingRules:
    return LinkingRules.from_data(normalizer)


@cache
def _affixes(normalizer: Normalizer) -> tuple[str, str]:
    """Regex alternations of every script's clitic prefixes and word endings."""
    rules = _linking_rules(normalizer)
    prefixes = {p for group in rules.clitic_prefixes.values() for p in group}
    suffixes = {s for group in rules.attached_suffixes.values() for s in group}
    suffixes |= word_endings(normalizer)

    def alternation(items: Iterable[str]) -> str:
        return "|".join(re.escape(item) for item in sorted(items, key=len, reverse=True))

    return alternation(prefixes), alternation(suffixes)


def has_letters(keyword: str, normalizer: Normalizer) -> bool:
    """Whether anything is left of `keyword` to find once normalised (diacritics, tatweel)."""
    return any(char.isalnum() for char in normalizer.key(keyword))


@lru_cache(maxsize=4096)
def keyword_pattern(keyword: str, normalizer: Normalizer) -> KeywordPattern:
    if not has_letters(keyword, normalizer):
        # Empty once normalised, it would match a lone clitic (Persian "و") in every text.
        return KeywordPattern(keyword, re.compile("(?!)"))
    prefixes, suffixes = _affixes(normalizer)
    key = " ".join(normalizer.key(keyword).split())
    # The keyword as written after a contracting prefix too: النجباء -> للنجباء.
    forms = _linking_rules(normalizer).written_forms(key, detect_script(key))
    body = "|".join(r"\s+".join(re.escape(word) for word in form.split()) for form in forms)
    body = f"(?:{body})"
    prefix = f"(?:{prefixes})?" if prefixes else ""
    suffix = f"(?:{suffixes})?" if suffixes else ""
    return KeywordPattern(keyword, re.compile(rf"(?<!\w){prefix}{body}{suffix}(?!\w)"))


def find_keyword(
    text: NormalizedText, keyword: str, normalizer: Normalizer
) -> tuple[int, int] | None:
    """Where `keyword` first occurs as a word in `text`, as offsets into the original."""
    found = keyword_pattern(keyword, normalizer).pattern.search(text.text)
    return None if found is None else text.original_span(found.start(), found.end())


class DocumentMatcher:
    """Checks rules against one document; what it looks up is looked up once."""

    def __init__(self, session: Session, document: Document, normalizer: Normalizer) -> None:
        self.session = session
        self.document = document
        self.normalizer = normalizer
        self._normalized = normalizer.normalize(
            "\n".join(part for part in (document.title, document.text) if part)
        )
        self._mentions: dict[str, tuple[str, str]] | None = None
        self._first: bool | None = None

    def match(self, conditions: Conditions) -> list[Reason] | None:
        """The reasons the document matches, or None when a condition does not hold."""
        reasons: list[Reason] = []
        for check in (
            self._language,
            self._source,
            self._entities,
            self._events,
            self._keywords,
            self._first_seen,
            self._reappeared,
            self._hash_matches,
        ):
            found = check(conditions)
            if found is None:
                return None
            reasons.extend(found)
        return reasons

    def _language(self, conditions: Conditions) -> list[Reason] | None:
        if not conditions.languages:
            return []
        language = self.document.language
        if language not in conditions.languages:
            return None
        return [{"condition": "language", "language": language}]

    def _source(self, conditions: Conditions) -> list[Reason] | None:
        if not conditions.sources:
            return []
        source = self.document.capture.source
        if source is None or source.name not in conditions.sources:
            return None
        return [{"condition": "source", "source": source.name}]

    def _entities(self, conditions: Conditions) -> list[Reason] | None:
        if not conditions.entities:
            return []
        mentioned = self._mentioned()
        reasons = []
        for watched in conditions.entities:
            via: dict[str, str | None] = {watched: None}
            if conditions.include_members:
                via.update(members_of(self.session, watched))
            for entity_id, relation in via.items():
                if entity_id in mentioned:
                    surface, name = mentioned[entity_id]
                    reasons.append(
                        {"condition": "entity", "entity_id": entity_id, "name": name,
                         "watched": watched, "via": relation, "surface": surface}
                    )  # fmt: skip
        return reasons or None

    def _mentioned(self) -> dict[str, tuple[str, str]]:
        """Linked entity id -> (first surface naming it, entity name); rejected mentions are
        left out."""
        if self._mentions is None:
            rows = self.session.execute(
                select(Mention.entity_id, Mention.surface, Entity.name)
                .join(Entity, Entity.id == Mention.entity_id)
                .where(
                    Mention.document_id == self.document.id,
                    or_(Mention.verdict.is_(None), Mention.verdict != "rejected"),
                )
                .order_by(Mention.start)
            )
            self._mentions = {}
            for entity_id, surface, name in rows:
                self._mentions.setdefault(str(entity_id), (surface, name))
        return self._mentions

    def _events(self, conditions: Conditions) -> list[Reason] | None:
        if not (conditions.event_types or conditions.severities):
            return []
        query = select(Event).where(
            Event.id.in_(
                select(EventSource.event_id).where(EventSource.document_id == self.document.id)
            )
        )
        if conditions.event_types:
            query = query.where(Event.type.in_(conditions.event_types))
        if conditions.severities:
            query = query.where(Event.severity.in_(conditions.severities))
        events = self.session.scalars(query.order_by(Event.id)).all()
        if not events:
            return None
        return [
            {"condition": "event", "event_id": event.id, "type": event.type,
             "severity": event.severity, "summary": event.summary}
            for event in events
        ]  # fmt: skip

    def _keywords(self, conditions: Conditions) -> list[Reason] | None:
        if not conditions.keywords:
            return []
        reasons = []
        for keyword in conditions.keywords:
            found = keyword_pattern(keyword, self.normalizer).pattern.search(self._normalized.text)
            if found:
                start, end = self._normalized.original_span(found.start(), found.end())
                reasons.append(
                    {"condition": "keyword", "keyword": keyword, "quote": self._quote(start, end)}
                )
        return reasons or None

    def _quote(self, start: int, end: int) -> str:
        original = self._normalized.original
        left = max(0, start - QUOTE_CONTEXT)
        right = min(len(original), end + QUOTE_CONTEXT)
        return (
            ("…" if left else "")
            + original[left:right].strip()
            + ("…" if right < len(original) else "")
        )

    def _first_seen(self, conditions: Conditions) -> list[Reason] | None:
        if not conditions.first_seen:
            return []
        if self._first is None:
            self._first = is_first_appearance(self.session, self.document)
        return [{"condition": "first_seen"}] if self._first else None

    def _reappeared(self, conditions: Conditions) -> list[Reason] | None:
        if not conditions.reappeared:
            return []
        found = referred_content_in(self.session, self.document)
        reasons: list[Reason] = [
            {"condition": "reappeared", "referral": seen.case_id, "url": seen.referred_url,
             "how": seen.how}
            for seen in found
        ]  # fmt: skip
        return reasons or None

    def _hash_matches(self, conditions: Conditions) -> list[Reason] | None:
        if not (conditions.hash_match or conditions.hash_lists):
            return []
        reasons: list[Reason] = [
            {"condition": "hash_match", "list": match.entry.list_name, "label": match.entry.label,
             "algorithm": match.entry.algorithm, "distance": match.distance,
             "capture_id": medium.capture.id, "url": medium.capture.url,
             "sha256": medium.hashes.sha256}
            for medium in media_of(self.session, self.document)
            for match in medium.matches
            if not conditions.hash_lists or match.entry.list_name in conditions.hash_lists
        ]  # fmt: skip
        return reasons or None


def members_of(session: Session, entity_id: str) -> dict[str, str]:
    """Entities standing for `entity_id`: its members, leaders, ... and branches, and theirs,
    each with the relation that links it ("leader_of Harakat al-Nujaba")."""
    found: dict[str, str] = {}
    frontier = {entity_id}
    for _depth in range(MAX_MEMBER_DEPTH):
        rows = session.execute(
            select(Relation.subject_id, Relation.predicate, Entity.name)
            .join(Entity, Entity.id == Relation.object_id)
            .where(Relation.object_id.in_(frontier), Relation.predicate.in_(MEMBER_PREDICATES))
            .order_by(Relation.id)
        ).all()
        frontier = set()
        for subject_id, predicate, object_name in rows:
            if subject_id != entity_id and subject_id not in found:
                found[subject_id] = f"{predicate} {object_name}"
                if predicate == "branch_of":
                    frontier.add(subject_id)
        if not frontier:
            break
    return found
