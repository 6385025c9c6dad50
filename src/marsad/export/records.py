"""One record builder per export kind, producing exactly the fields of the stable interface
(ARCHITECTURE.md, "Stable interfaces"). Records stream from the database in batches."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from marsad.cluster.stories import load_stories
from marsad.errors import ExportError
from marsad.export.fields import EXPORT_FIELDS
from marsad.link.store import VARIANT
from marsad.store.models import (
    DateMention,
    Document,
    Entity,
    Event,
    EventActor,
    EventSource,
    Mention,
    Relation,
    Translation,
)

Record = dict[str, Any]
BATCH = 500


def evidence(document: Document | None, start: int | None, end: int | None) -> Record | None:
    if document is None or start is None or end is None:
        return None
    return {"quote": (document.text or "")[start:end], "start": start, "end": end}


def named(entity: Entity | None) -> Record | None:
    return None if entity is None else {"id": entity.id, "name": entity.name}


def document_records(session: Session) -> Iterator[Record]:
    query = select(Document).options(selectinload(Document.capture)).order_by(Document.id)
    for document in session.scalars(query.execution_options(yield_per=BATCH)):
        yield {
            "id": document.id,
            "url": document.url,
            "title": document.title,
            "language": document.language,
            "published": document.published,
            "sha256": document.capture.sha256,
            "first_seen_at": document.first_seen_at.isoformat(),
            # What the source said about the item: a post's author, views, forwarded_from ...
            "properties": document.properties or {},
        }


def entity_records(session: Session) -> Iterator[Record]:
    query = select(Entity).options(selectinload(Entity.aliases)).order_by(Entity.id)
    for entity in session.scalars(query.execution_options(yield_per=BATCH)):
        yield {
            "id": entity.id,
            "kind": entity.kind,
            "name": entity.name,
            # Curated names only: generated spelling variants are matching machinery.
            "aliases": sorted({a.name for a in entity.aliases if a.origin != VARIANT}),
            "designations": entity.designations,
        }


def mention_records(session: Session) -> Iterator[Record]:
    query = (
        select(Mention, Entity)
        .outerjoin(Entity, Mention.entity_id == Entity.id)
        .order_by(Mention.document_id, Mention.start)
    )
    for mention, entity in session.execute(query.execution_options(yield_per=BATCH)):
        yield {
            "document_id": mention.document_id,
            "entity_id": mention.entity_id,
            "entity_name": entity.name if entity else None,
            "entity_kind": entity.kind if entity else None,
            "surface": mention.surface,
            "start": mention.start,
            "end": mention.end,
        }


def relation_records(session: Session) -> Iterator[Record]:
    query = (
        select(Relation, Document)
        .outerjoin(Document, Relation.document_id == Document.id)
        .options(selectinload(Relation.subject), selectinload(Relation.object))
        .order_by(Relation.id)
    )
    for relation, document in session.execute(query):
        yield {
            "subject": named(relation.subject),
            "predicate": relation.predicate,
            "object": named(relation.object),
            "document_id": relation.document_id,
            "evidence": evidence(document, relation.evidence_start, relation.evidence_end),
        }


def event_records(session: Session) -> Iterator[Record]:
    query = select(Event).options(selectinload(Event.actors), selectinload(Event.sources))
    for event in session.scalars(query.order_by(Event.id).execution_options(yield_per=BATCH)):
        yield event_record(session, event)


def event_record(session: Session, event: Event) -> Record:
    """One event as the stable interface has it; sources in document and text order."""
    sources = sorted(event.sources, key=lambda s: (s.document_id, s.start))
    return {
        "id": event.id,
        "type": event.type,
        "date": event.date,
        "date_precision": event.date_precision,
        "date_certainty": event.date_certainty,
        "actors": [_actor(session, actor) for actor in sorted(event.actors, key=lambda a: a.id)],
        "place": _place(session, event.place_id),
        "summary": event.summary,
        "language": event.language,
        "sources": [_event_source(session, source) for source in sources],
    }


def _actor(session: Session, actor: EventActor) -> Record:
    entity = session.get(Entity, actor.entity_id) if actor.entity_id else None
    return {
        "entity_id": actor.entity_id,
        "name": entity.name if entity else actor.surface,
        "role": actor.role,
    }


def _place(session: Session, place_id: str | None) -> Record | None:
    place = session.get(Entity, place_id) if place_id else None
    return None if place is None else {"entity_id": place.id, "name": place.name}


def _event_source(session: Session, source: EventSource) -> Record:
    document = session.get(Document, source.document_id)
    return {
        "document_id": source.document_id,
        "evidence": evidence(document, source.start, source.end),
    }


def translation_records(session: Session) -> Iterator[Record]:
    query = select(Translation).order_by(Translation.document_id, Translation.id)
    for translation in session.scalars(query.execution_options(yield_per=BATCH)):
        yield {
            "document_id": translation.document_id,
            "target_language": translation.target_language,
            "backend": translation.backend,
            "text": translation.text,
        }


def date_records(session: Session) -> Iterator[Record]:
    query = select(DateMention).order_by(DateMention.document_id, DateMention.start)
    for mention in session.scalars(query.execution_options(yield_per=BATCH)):
        yield {name: getattr(mention, name) for name in EXPORT_FIELDS["dates"]}


def story_records(session: Session) -> Iterator[Record]:
    return (story.as_record() for story in load_stories(session))


RECORD_BUILDERS: dict[str, Callable[[Session], Iterator[Record]]] = {
    "documents": document_records,
    "entities": entity_records,
    "mentions": mention_records,
    "relations": relation_records,
    "events": event_records,
    "translations": translation_records,
    "dates": date_records,
    "stories": story_records,
}


def records_of(kind: str, session: Session) -> Iterator[Record]:
    try:
        builder = RECORD_BUILDERS[kind]
    except KeyError:
        raise ExportError(
            f"unknown export kind {kind!r}; choose from {', '.join(RECORD_BUILDERS)}"
        ) from None
    return builder(session)
