"""FollowTheMoney entities (JSON lines), for Aleph, OpenSanctions tooling and `ftm` itself.

  person / organization / media_outlet / place -> Person / Organization / Organization / Address
  designation                                  -> Sanction (authority, program, listing date)
  relation                                     -> Membership (member_of, spokesperson_of),
                                                  Directorship (leader_of, commander_of, ...),
                                                  UnknownLink (anything else), with the
                                                  evidence quote and the source document
  document                                     -> Document (title, URL, SHA-256, language, dates)
  linked mentions                              -> Mention (one per document and entity)
  event                                        -> Event (date, summary, involved, place, proof)

Every value goes through FtM's own type cleaning (languages become ISO 639-3, dates ISO);
ids are Marsad's entity ids, or derived from Marsad's keys, so re-exports are identical.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from followthemoney import model
from followthemoney.proxy import EntityProxy
from followthemoney.util import make_entity_id
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from marsad.link.store import VARIANT
from marsad.store.models import Document, Entity, Event, Mention, Relation

SCHEMA_OF_KIND = {
    "person": "Person",
    "organization": "Organization",
    "media_outlet": "Organization",
    "place": "Address",
    "country": "Address",
}
MEMBERSHIPS = {"member_of", "spokesperson_of"}
DIRECTORSHIPS = {
    "leader_of", "secretary_general_of", "deputy_secretary_general_of", "commander_of",
    "head_of_political_bureau_of",
}  # fmt: skip
BATCH = 500


def _proxy(schema: str, entity_id: str | None, **values: Any) -> EntityProxy:
    proxy = model.make_entity(schema)
    proxy.id = entity_id
    for prop, value in values.items():
        if value is not None and value != []:
            proxy.add(prop, value, quiet=True)
    return proxy


def document_id(document_id: int) -> str:
    return f"marsad-document-{document_id}"


def entity_proxies(entity: Entity) -> Iterator[EntityProxy]:
    schema = SCHEMA_OF_KIND.get(entity.kind, "LegalEntity")
    aliases = sorted({a.name for a in entity.aliases if a.origin != VARIANT} - {entity.name})
    properties = entity.properties or {}
    values: dict[str, Any] = {"name": entity.name, "alias": aliases,
                              "description": entity.description}  # fmt: skip
    if schema == "Address":
        values.update(full=entity.name, country=properties.get("country"))
    elif entity.designations:
        values["topics"] = "sanction"
    yield _proxy(schema, entity.id, **values)
    for designation in entity.designations or []:
        authority, program = designation.get("authority"), designation.get("list")
        yield _proxy(
            "Sanction", make_entity_id(entity.id, authority, program, designation.get("date")),
            entity=entity.id, authority=authority, program=program,
            listingDate=designation.get("date"),
            sourceUrl=designation.get("url") or designation.get("citation"),
        )  # fmt: skip


def relation_proxy(relation: Relation, document: Document | None) -> EntityProxy:
    key = make_entity_id(
        "relation", relation.subject_id, relation.predicate, relation.object_id,
        relation.document_id,
    )  # fmt: skip
    quote = None
    if document is not None and relation.evidence_start is not None:
        quote = (document.text or "")[relation.evidence_start : relation.evidence_end] or None
    common: dict[str, Any] = {
        "role": relation.predicate, "startDate": relation.valid_date, "description": quote,
        "proof": document_id(document.id) if document else None,
        "sourceUrl": document.url if document else None,
    }  # fmt: skip
    if relation.predicate in MEMBERSHIPS:
        return _proxy("Membership", key, member=relation.subject_id,
                      organization=relation.object_id, **common)  # fmt: skip
    if relation.predicate in DIRECTORSHIPS:
        return _proxy("Directorship", key, director=relation.subject_id,
                      organization=relation.object_id, **common)  # fmt: skip
    return _proxy("UnknownLink", key, subject=relation.subject_id, object=relation.object_id,
                  **common)  # fmt: skip


def document_proxy(document: Document) -> EntityProxy:
    capture = document.capture
    return _proxy(
        "Document", document_id(document.id), title=document.title or document.url,
        sourceUrl=document.url, contentHash=capture.sha256, language=document.language,
        publishedAt=document.published, retrievedAt=capture.fetched_at.isoformat(),
        mimeType=(capture.content_type or "").split(";")[0].strip() or None,
        fileSize=capture.size,
    )  # fmt: skip


def event_proxy(event: Event) -> EntityProxy:
    involved = sorted({actor.entity_id for actor in event.actors if actor.entity_id})
    named = [actor.surface for actor in event.actors if not actor.entity_id and actor.surface]
    return _proxy(
        "Event", f"marsad-event-{event.id}",
        name=f"{event.type}: {event.summary}" if event.summary else event.type,
        date=event.date, summary=event.summary, involved=involved, namesMentioned=named,
        addressEntity=event.place_id, keywords=[event.type, event.severity],
        proof=sorted({document_id(source.document_id) for source in event.sources}),
    )  # fmt: skip


def ftm_proxies(session: Session) -> Iterator[EntityProxy]:
    entities = select(Entity).options(selectinload(Entity.aliases)).order_by(Entity.id)
    for entity in session.scalars(entities.execution_options(yield_per=BATCH)):
        yield from entity_proxies(entity)
    relations = (
        select(Relation, Document)
        .outerjoin(Document, Relation.document_id == Document.id)
        .order_by(Relation.id)
    )
    for relation, document in session.execute(relations):
        yield relation_proxy(relation, document)
    documents = select(Document).options(selectinload(Document.capture)).order_by(Document.id)
    for document in session.scalars(documents.execution_options(yield_per=BATCH)):
        yield document_proxy(document)
    mentions = (
        select(Mention.document_id, Mention.entity_id, Mention.surface)
        .where(Mention.entity_id.is_not(None))
        .order_by(Mention.document_id, Mention.entity_id, Mention.start)
    )
    seen: set[tuple[int, str | None]] = set()
    for mentioned_in, entity_id, surface in session.execute(mentions):
        if (mentioned_in, entity_id) not in seen:
            seen.add((mentioned_in, entity_id))
            yield _proxy(
                "Mention", make_entity_id("mention", mentioned_in, entity_id),
                document=document_id(mentioned_in), resolved=entity_id, name=surface,
            )  # fmt: skip
    events = select(Event).options(selectinload(Event.actors), selectinload(Event.sources))
    for event in session.scalars(events.order_by(Event.id)):
        yield event_proxy(event)


def ftm_lines(session: Session) -> Iterator[str]:
    """One FtM entity per line, keys sorted, the same for the same store."""
    for proxy in ftm_proxies(session):
        yield json.dumps(proxy.to_dict(), ensure_ascii=False, sort_keys=True)
