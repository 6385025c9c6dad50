"""What the pages and the API show, read from the store once for both."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import BindParameter, Select, bindparam, func, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from marsad.preserve.first_seen import FirstSeen, first_seen_url_and_sha256
from marsad.store.models import (
    Alias,
    Capture,
    Document,
    Entity,
    Event,
    EventActor,
    EventSource,
    Mention,
    Relation,
    Source,
    Translation,
)

NETWORK_SIZE = 12
LATEST_DOCUMENTS = 10


class NotFound(Exception):
    """An id that is not in the store: 404."""


@dataclass
class DocumentView:
    document: Document
    capture: Capture
    source: Source | None
    mentions: list[Mention]
    translations: list[Translation]
    event_sources: list[tuple[EventSource, Event]]
    url_first_seen: FirstSeen | None
    content_first_seen: FirstSeen | None


# The document page's statements, built once per process with the document id as a bound
# parameter: building a statement costs the page more than running these small ones.
DOCUMENT_ID: BindParameter[int] = bindparam("document_id")
DOCUMENT_WITH_CAPTURE = (
    select(Document, Capture, Source)
    .join(Capture, Capture.id == Document.capture_id)
    .outerjoin(Source, Source.id == Capture.source_id)
    .where(Document.id == DOCUMENT_ID)
)
DOCUMENT_MENTIONS = (
    select(Mention)
    # Joined, not a second statement: each mention has at most one entity.
    .options(joinedload(Mention.entity))
    .where(Mention.document_id == DOCUMENT_ID)
    .order_by(Mention.start, Mention.end.desc())
)
DOCUMENT_TRANSLATIONS = (
    select(Translation)
    .where(Translation.document_id == DOCUMENT_ID)
    .order_by(Translation.created_at.desc())
)
DOCUMENT_EVENT_SOURCES = (
    select(EventSource, Event)
    .join(Event, Event.id == EventSource.event_id)
    .where(EventSource.document_id == DOCUMENT_ID)
    .order_by(EventSource.start)
)


def document_view(session: Session, document_id: int) -> DocumentView:
    which = {"document_id": document_id}
    found = session.execute(DOCUMENT_WITH_CAPTURE, which).first()
    if found is None:
        raise NotFound(f"no document {document_id}")
    document, capture, source = found
    mentions = list(session.scalars(DOCUMENT_MENTIONS, which))
    translations = list(session.scalars(DOCUMENT_TRANSLATIONS, which))
    event_sources = [
        (source, event) for source, event in session.execute(DOCUMENT_EVENT_SOURCES, which)
    ]
    url_first_seen, content_first_seen = first_seen_url_and_sha256(
        session, capture.url, capture.sha256
    )
    return DocumentView(
        document=document,
        capture=capture,
        source=source,
        mentions=mentions,
        translations=translations,
        event_sources=event_sources,
        url_first_seen=url_first_seen,
        content_first_seen=content_first_seen,
    )


@dataclass(frozen=True)
class RelationLine:
    relation: Relation
    subject: Entity
    object: Entity


@dataclass
class EntityView:
    entity: Entity
    aliases_by_script: dict[str, list[Alias]]
    relations: list[RelationLine]
    events: list[Event]
    network: list[tuple[Entity, int]]
    edges: list[tuple[str, str, int]]  # between the network's entities
    latest_documents: list[Document]
    mention_count: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def entity_or_404(session: Session, entity_id: str) -> Entity:
    entity = session.get(Entity, entity_id)
    if entity is None:
        raise NotFound(f"no entity {entity_id!r}")
    return entity


def relation_lines(session: Session, entity_id: str) -> list[RelationLine]:
    relations = session.scalars(
        select(Relation)
        .options(selectinload(Relation.subject), selectinload(Relation.object))
        .where(or_(Relation.subject_id == entity_id, Relation.object_id == entity_id))
        .order_by(Relation.predicate, Relation.id)
    )
    return [RelationLine(r, r.subject, r.object) for r in relations]


def events_of(session: Session, entity_id: str) -> Select[Event]:
    as_actor = select(EventActor.event_id).where(EventActor.entity_id == entity_id)
    return select(Event).where(or_(Event.id.in_(as_actor), Event.place_id == entity_id))


def documents_mentioning(entity_id: str) -> Select[int]:
    return select(Mention.document_id).where(Mention.entity_id == entity_id)


def co_occurring(
    session: Session, entity_id: str, size: int = NETWORK_SIZE
) -> list[tuple[Entity, int]]:
    """Entities named in the same documents, with the number of documents shared."""
    shared = func.count(func.distinct(Mention.document_id)).label("shared")
    rows = session.execute(
        select(Mention.entity_id, shared)
        .where(
            Mention.document_id.in_(documents_mentioning(entity_id)),
            Mention.entity_id.is_not(None),
            Mention.entity_id != entity_id,
        )
        .group_by(Mention.entity_id)
        .order_by(shared.desc(), Mention.entity_id)
        .limit(size)
    ).all()
    entities = {
        e.id: e for e in session.scalars(select(Entity).where(Entity.id.in_([r[0] for r in rows])))
    }
    return [(entities[other], int(count)) for other, count in rows if other in entities]


def network_edges(session: Session, entity_ids: list[str]) -> list[tuple[str, str, int]]:
    """Documents shared by each pair of the given entities."""
    pairs: dict[tuple[str, str], set[int]] = defaultdict(set)
    by_document: dict[int, set[str]] = defaultdict(set)
    for document_id, other in session.execute(
        select(Mention.document_id, Mention.entity_id).where(Mention.entity_id.in_(entity_ids))
    ):
        if other is not None:
            by_document[document_id].add(other)
    for document_id, present in by_document.items():
        ordered = sorted(present)
        for index, first in enumerate(ordered):
            for second in ordered[index + 1 :]:
                pairs[(first, second)].add(document_id)
    return [(a, b, len(docs)) for (a, b), docs in sorted(pairs.items())]


def entity_view(session: Session, entity_id: str) -> EntityView:
    entity = entity_or_404(session, entity_id)
    by_script: dict[str, list[Alias]] = defaultdict(list)
    for alias in sorted(entity.aliases, key=lambda a: (a.script or "", a.language or "", a.name)):
        if alias.origin != "variant":
            by_script[alias.script or "other"].append(alias)
    network = co_occurring(session, entity_id)
    latest = list(
        session.scalars(
            select(Document)
            .where(Document.id.in_(documents_mentioning(entity_id)))
            .order_by(Document.first_seen_at.desc(), Document.id.desc())
            .limit(LATEST_DOCUMENTS)
        )
    )
    return EntityView(
        entity=entity,
        aliases_by_script=dict(by_script),
        relations=relation_lines(session, entity_id),
        events=list(
            session.scalars(
                events_of(session, entity_id)
                .options(selectinload(Event.actors))
                .order_by(Event.date, Event.id)
            )
        ),
        network=network,
        edges=network_edges(session, [entity_id, *(e.id for e, _ in network)]),
        latest_documents=latest,
        mention_count=session.scalar(
            select(func.count(Mention.id)).where(Mention.entity_id == entity_id)
        )
        or 0,
    )


def entity_names(session: Session, ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    return dict(session.execute(select(Entity.id, Entity.name).where(Entity.id.in_(ids))).all())


@dataclass
class RelationGroup:
    """One relation as the page shows it: its subject, predicate and object once, with every
    document it was read in (and whether the knowledge base holds it)."""

    subject: Entity
    predicate: str
    object: Entity
    valid_dates: list[str] = field(default_factory=list)
    document_ids: list[int] = field(default_factory=list)
    in_kb: bool = False


def grouped_relations(lines: list[RelationLine]) -> list[RelationGroup]:
    groups: dict[tuple[str, str, str], RelationGroup] = {}
    for line in lines:
        relation = line.relation
        key = (relation.subject_id, relation.predicate, relation.object_id)
        group = groups.setdefault(key, RelationGroup(line.subject, relation.predicate, line.object))
        if relation.valid_date and relation.valid_date not in group.valid_dates:
            group.valid_dates.append(relation.valid_date)
        if relation.document_id is None:
            group.in_kb = True
        elif relation.document_id not in group.document_ids:
            group.document_ids.append(relation.document_id)
    return list(groups.values())


QUOTE_CHARS = 400


@dataclass(frozen=True)
class Evidence:
    document_id: int
    quote: str


def event_evidence(session: Session, event_ids: list[int]) -> dict[int, Evidence]:
    """Each event's first piece of evidence: the words of its first source, cut in the
    database (one query, however many events; never whole texts)."""
    if not event_ids:
        return {}
    length = EventSource.end - EventSource.start
    rows = session.execute(
        select(
            EventSource.event_id,
            EventSource.document_id,
            func.substr(Document.text, EventSource.start + 1, length),
        )
        .join(Document, Document.id == EventSource.document_id)
        .where(EventSource.event_id.in_(event_ids))
        .order_by(EventSource.event_id, EventSource.id)
    )
    found: dict[int, Evidence] = {}
    for event_id, document_id, words in rows:
        if event_id not in found:
            quote = " ".join((words or "").split())
            cut = quote[:QUOTE_CHARS] + ("…" if len(quote) > QUOTE_CHARS else "")
            found[event_id] = Evidence(document_id, cut)
    return found
