"""Scoring the event coder on a gold set (tests/events/gold/events.yaml).

Each gold document runs through the real language path in memory: the linker over the
shipped knowledge base, the date reader, then the coder. A predicted event is right when
its type and its participants with their roles equal a gold event's of the same document
(in symmetric types, actor and participant count as one role); each gold event is used
once. Dates, places, threat targets and severities are scored on the events that match.
The keyword-only baseline knows the trigger words and nothing else: the first name in the
sentence acts, the others take the type's object role, the publication date dates it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from marsad.datafiles import load_yaml
from marsad.errors import ConfigError
from marsad.events.agents import default_agent_lexicons, with_agents
from marsad.events.coder import EventCoder
from marsad.events.lexicon import default_event_lexicons
from marsad.events.model import Affiliation, CodedActor, CodedEvent, EntityMention
from marsad.events.stage import published_date
from marsad.events.taxonomy import Taxonomy, default_taxonomy
from marsad.link.evaluation import Counts, in_memory_kb
from marsad.link.kb import load_kb
from marsad.link.linker import DocumentLinker
from marsad.link.matcher import AliasMatcher, LinkingRules
from marsad.link.roles import RoleFinder
from marsad.store.models import Document, Entity
from marsad.store.models.base import utcnow
from marsad.text.date_stage import find_document_dates
from marsad.text.dates.model import without_overlaps
from marsad.text.normalize import default_normalizer
from marsad.text.segment import default_segmenter

Role = tuple[str, str]  # (entity id or "surface:<words>", role)


@dataclass(frozen=True)
class GoldEvent:
    type: str
    roles: frozenset[Role]
    date: str | None
    precision: str | None
    certainty: str | None
    date_source: str
    place: str | None
    severity: str | None
    modality: str
    evidence: str


@dataclass(frozen=True)
class GoldDocument:
    id: str
    language: str
    published: str
    text: str
    events: tuple[GoldEvent, ...]


def surface_key(surface: str) -> str:
    return "surface:" + " ".join(surface.lower().split())


def _gold_event(document_id: str, text: str, raw: dict[str, Any]) -> GoldEvent:
    evidence = str(raw["evidence"])
    if evidence not in text:
        raise ConfigError(f"gold document {document_id}: evidence {evidence!r} not in the text")
    roles = frozenset(
        (str(a["entity"]) if a.get("entity") else surface_key(str(a["surface"])), str(a["role"]))
        for a in raw["actors"]
    )
    return GoldEvent(
        type=str(raw["type"]),
        roles=roles,
        date=raw.get("date"),
        precision=raw.get("precision"),
        certainty=raw.get("certainty"),
        date_source=str(raw.get("date_source", "text")),
        place=raw.get("place"),
        severity=raw.get("severity"),
        modality=str(raw.get("modality", "asserted")),
        evidence=evidence,
    )


def load_gold(path: Path) -> list[GoldDocument]:
    documents = []
    for raw in load_yaml(path)["documents"]:
        text = str(raw["text"])
        documents.append(
            GoldDocument(
                id=str(raw["id"]),
                language=str(raw["language"]),
                published=str(raw["published"]),
                text=text,
                events=tuple(_gold_event(str(raw["id"]), text, e) for e in raw["events"]),
            )
        )
    return documents


@dataclass
class LanguagePath:
    """The shipped KB in a private in-memory database, its linker and entity kinds."""

    linker: DocumentLinker
    kinds: dict[str, tuple[str, str | None]]

    @classmethod
    def from_shipped_kb(cls) -> LanguagePath:
        normalizer = default_normalizer()
        with in_memory_kb(load_kb()) as session:
            rules = LinkingRules.from_data(normalizer)
            matcher = AliasMatcher.from_session(session, normalizer, rules)
            kinds = {
                entity.id: (entity.kind, (entity.properties or {}).get("place_type"))
                for entity in session.scalars(select(Entity))
            }
        return cls(DocumentLinker(matcher, 90.0, RoleFinder.from_data(normalizer)), kinds)

    def read(self, gold: GoldDocument) -> tuple[list[EntityMention], list[Affiliation], Document]:
        runs = [(0, len(gold.text), gold.language)]
        links = self.linker.link(gold.text, runs)
        mentions = [
            EntityMention(
                m.entity_id, m.surface, m.start, m.end, *self.kinds.get(m.entity_id, (None, None))
            )
            for m in links.mentions
            if m.entity_id
        ]
        affiliations = [
            Affiliation(r.subject_id, r.object_id, r.start, r.end) for r in links.relations
        ]
        document = Document(
            text=gold.text,
            language=gold.language,
            published=gold.published,
            published_precision="day",
            published_certainty="certain",
            first_seen_at=utcnow(),
        )
        return mentions, affiliations, document


def code_gold_document(
    path: LanguagePath, coder: EventCoder, gold: GoldDocument
) -> list[CodedEvent]:
    mentions, affiliations, document = path.read(gold)
    dates = without_overlaps(find_document_dates(document), lambda d: (d.start, d.end))
    return coder.code(
        gold.text,
        [(0, len(gold.text), gold.language)],
        mentions,
        dates,
        published_date(document),
        affiliations,
    )


def keyword_baseline(
    path: LanguagePath, taxonomy: Taxonomy, gold: GoldDocument
) -> list[CodedEvent]:
    mentions, _, document = path.read(gold)
    lexicon = default_event_lexicons().get(gold.language)
    if lexicon is None:
        return []
    events = []
    agents = default_agent_lexicons().get(gold.language)
    for sentence in default_segmenter().sentences(gold.text, gold.language):
        linked = [m for m in mentions if sentence.start <= m.start < sentence.end]
        inside = [
            m
            for m in with_agents(linked, agents, gold.text, sentence.start, sentence.end)
            if not m.is_city_like
        ]
        triggers = lexicon.triggers.find(lexicon.normalize(sentence.text))
        for label in dict.fromkeys(cue.label for cue in triggers):
            if not inside:
                continue
            other = taxonomy.get(label).object_role or "participant"
            actors = [CodedActor(inside[0].entity_id, inside[0].surface, "actor")] + [
                CodedActor(m.entity_id, m.surface, other) for m in inside[1:]
            ]
            events.append(
                CodedEvent(
                    label,
                    sentence.start,
                    sentence.end,
                    (0, 0),
                    gold.language,
                    actors,
                    date=published_date(document),
                )
            )
    return events


@dataclass
class Scores(Counts):
    """Event counts (precision and recall as for links), and accuracies on matched events."""

    dates_right: int = 0
    places_right: int = 0
    threats: int = 0
    threat_targets_right: int = 0
    severities_right: int = 0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def date_accuracy(self) -> float:
        return self.dates_right / self.true_positives if self.true_positives else 0.0

    @property
    def place_accuracy(self) -> float:
        return self.places_right / self.true_positives if self.true_positives else 0.0

    @property
    def threat_target_accuracy(self) -> float:
        return self.threat_targets_right / self.threats if self.threats else 0.0

    @property
    def severity_accuracy(self) -> float:
        return self.severities_right / self.threats if self.threats else 0.0


def predicted_roles(event: CodedEvent, symmetric: bool) -> frozenset[Role]:
    return frozenset(
        (a.entity_id or surface_key(a.surface), _folded(a.role, symmetric)) for a in event.actors
    )


def _folded(role: str, symmetric: bool) -> str:
    return "participant" if symmetric and role == "actor" else role


def _gold_roles(event: GoldEvent, symmetric: bool) -> frozenset[Role]:
    return frozenset((key, _folded(role, symmetric)) for key, role in event.roles)


def _without(roles: frozenset[Role], dropped: Iterable[str]) -> frozenset[Role]:
    return frozenset(r for r in roles if r[1] not in dropped)


def score_document(
    gold: GoldDocument, predicted: Sequence[CodedEvent], taxonomy: Taxonomy, scores: Scores
) -> None:
    unused = list(gold.events)
    threat_pairs: list[tuple[GoldEvent, CodedEvent]] = []
    for event in predicted:
        symmetric = taxonomy.get(event.type).symmetric
        roles = predicted_roles(event, symmetric)
        match = next(
            (g for g in unused if g.type == event.type and _gold_roles(g, symmetric) == roles),
            None,
        )
        if event.type == "threaten":
            # Threat targets are scored on threats whose type and actor are right.
            actor_match = next(
                (
                    g
                    for g in gold.events
                    if g.type == "threaten"
                    and _without(g.roles, ["target"]) == _without(roles, ["target"])
                ),
                None,
            )
            if actor_match is not None:
                threat_pairs.append((actor_match, event))
        if match is None:
            scores.false_positives += 1
            scores.errors.append(f"{gold.id}: extra {event.type} {sorted(roles)}")
            continue
        unused.remove(match)
        scores.true_positives += 1
        date = event.date
        if date and (date.value, date.precision) == (match.date, match.precision):
            scores.dates_right += 1
        else:
            scores.errors.append(f"{gold.id}: {event.type} date {date} != {match.date}")
        scores.places_right += event.place_id == match.place
    for missed in unused:
        scores.false_negatives += 1
        scores.errors.append(f"{gold.id}: missed {missed.type} {sorted(missed.roles)}")
    threats = [g for g in gold.events if g.type == "threaten"]
    scores.threats += len(threats)
    for gold_threat in threats:
        pair = next((e for g, e in threat_pairs if g is gold_threat), None)
        if pair is None:
            continue
        targets = {k for k, role in predicted_roles(pair, False) if role == "target"}
        if targets == {k for k, role in gold_threat.roles if role == "target"}:
            scores.threat_targets_right += 1
        else:
            scores.errors.append(f"{gold.id}: threat targets {sorted(targets)}")
        scores.severities_right += pair.severity == gold_threat.severity


def score_gold(
    documents: Iterable[GoldDocument],
    code: Callable[[GoldDocument], list[CodedEvent]],
    taxonomy: Taxonomy | None = None,
) -> dict[str, Scores]:
    taxonomy = taxonomy or default_taxonomy()
    scores: dict[str, Scores] = defaultdict(Scores)
    for document in documents:
        score_document(document, code(document), taxonomy, scores[document.language])
    return dict(scores)
