"""Cross-language stories: copy groups in different languages about the same happening.

Near-duplicates stay within a language; a statement and its Farsi or English version share no
words but name the same people and organisations within days of each other. Two copy groups
(or single documents) in different languages join one story when, among the entities the
`link` stage found in them, they share at least two actors (persons, organisations, outlets)
— or one actor and one place — with actor overlap (Jaccard) of at least one half, and first
appeared at most WINDOW_DAYS apart. Each join keeps its score and a readable reason.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from marsad.store.models import Document, Entity, Mention

WINDOW_DAYS = 3
MIN_ACTOR_OVERLAP = 0.5
# An entity named by this many groups says nothing about which happening two of them share.
MAX_GROUPS_PER_ENTITY = 500
PLACE_KINDS = frozenset({"place", "facility", "country"})


@dataclass
class GroupFacts:
    """What one copy group (a neardup cluster, or a lone document) is about."""

    key: int  # the cluster id, or the document id of a lone document
    languages: set[str] = field(default_factory=set)
    first_day: date | None = None
    actors: set[str] = field(default_factory=set)
    places: set[str] = field(default_factory=set)

    def saw(self, language: str | None, day: date) -> None:
        if language:
            self.languages.add(language)
        self.first_day = day if self.first_day is None else min(self.first_day, day)


@dataclass(frozen=True)
class CrossLanguageLink:
    first: int  # group keys
    second: int
    score: float
    why: str

    def as_record(self) -> dict[str, object]:
        return {"between": [self.first, self.second], "score": self.score, "why": self.why}


def _day(document_published: str | None, first_seen: date) -> date:
    if document_published:
        try:
            return date.fromisoformat(document_published[:10])
        except ValueError:
            pass
    return first_seen


def group_facts(session: Session) -> tuple[dict[int, int], dict[int, GroupFacts]]:
    """Each document's group key, and the facts of every group."""
    group_of: dict[int, int] = {}
    facts: dict[int, GroupFacts] = {}
    rows = session.execute(
        select(
            Document.id,
            Document.cluster_id,
            Document.language,
            Document.published,
            Document.first_seen_at,
        )
    )
    for document_id, cluster_id, language, published, first_seen in rows:
        key = cluster_id or document_id
        group_of[document_id] = key
        facts.setdefault(key, GroupFacts(key)).saw(language, _day(published, first_seen.date()))
    mentions = session.execute(
        select(Mention.document_id, Mention.entity_id, Entity.kind)
        .join(Entity, Entity.id == Mention.entity_id)
        .distinct()
    )
    for document_id, entity_id, kind in mentions:
        group = facts[group_of[document_id]]
        if entity_id is None:
            continue
        (group.places if kind in PLACE_KINDS else group.actors).add(entity_id)
    return group_of, facts


def _candidate_pairs(facts: Mapping[int, GroupFacts]) -> Iterable[tuple[int, int]]:
    by_entity: dict[str, list[int]] = defaultdict(list)
    for key, group in facts.items():
        for entity_id in group.actors:
            by_entity[entity_id].append(key)
    pairs: set[tuple[int, int]] = set()
    for keys in by_entity.values():
        if len(keys) > MAX_GROUPS_PER_ENTITY:
            continue
        for position, first in enumerate(keys):
            for second in keys[position + 1 :]:
                pairs.add((min(first, second), max(first, second)))
    return sorted(pairs)


def cross_language_links(
    facts: Mapping[int, GroupFacts], names: Mapping[str, str]
) -> list[CrossLanguageLink]:
    links = []
    for first_key, second_key in _candidate_pairs(facts):
        first, second = facts[first_key], facts[second_key]
        if not first.languages or first.languages & second.languages:
            continue  # same language: that is the neardup stage's call, not a translation
        if first.first_day is None or second.first_day is None:
            continue
        days = abs((first.first_day - second.first_day).days)
        actors = first.actors & second.actors
        places = first.places & second.places
        overlap = len(actors) / len(first.actors | second.actors)
        enough = len(actors) >= 2 or (len(actors) == 1 and places)
        if days > WINDOW_DAYS or not enough or overlap < MIN_ACTOR_OVERLAP:
            continue
        shared = sorted(names.get(e, e) for e in actors | places)
        score = round(overlap * (1 - days / (WINDOW_DAYS + 1)), 3)
        languages = f"{'/'.join(sorted(first.languages))} and {'/'.join(sorted(second.languages))}"
        why = f"{languages} name {', '.join(shared)}; first appeared {days} day(s) apart"
        links.append(CrossLanguageLink(first_key, second_key, score, why))
    return links


def join_groups(
    facts: Mapping[int, GroupFacts], links: Iterable[CrossLanguageLink]
) -> tuple[dict[int, int], list[CrossLanguageLink]]:
    """Group key -> story id (the smallest group key joined), and the joins made.

    Strongest links first; a join that would put two different texts of one language in the
    same story is refused (a story has one text per language — its copies are the neardup
    group), which stops chains of look-alike happenings from snowballing into one story.
    """
    parent = {key: key for key in facts}
    languages = {key: set(group.languages) for key, group in facts.items()}

    def root(key: int) -> int:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    made = []
    for link in sorted(links, key=lambda link: (-link.score, link.first, link.second)):
        a, b = root(link.first), root(link.second)
        if a == b:
            made.append(link)
            continue
        if languages[a] & languages[b]:
            continue
        low, high = min(a, b), max(a, b)
        parent[high] = low
        languages[low] |= languages.pop(high)
        made.append(link)
    return {key: root(key) for key in parent}, sorted(
        made, key=lambda join: (join.first, join.second)
    )


def entity_names(session: Session, links_facts: Mapping[int, GroupFacts]) -> dict[str, str]:
    wanted = {e for g in links_facts.values() for e in g.actors | g.places}
    if not wanted:
        return {}
    rows = session.execute(select(Entity.id, Entity.name).where(Entity.id.in_(wanted)))
    return {entity_id: name for entity_id, name in rows}
