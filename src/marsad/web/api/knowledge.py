"""Entities, mentions, relations, events and the timeline."""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, selectinload

from marsad.store.models import Alias, Entity, Event, Mention, Relation
from marsad.web.api.common import (
    MAX_ID,
    DatabaseId,
    PagingParams,
    PartialDate,
    ShortText,
    page_of,
    paged,
)
from marsad.web.api.schemas import (
    AliasOut,
    EntityDetail,
    EntityOut,
    EntityRef,
    EventOut,
    MentionOut,
    NetworkEdge,
    NetworkNode,
    NetworkOut,
    Page,
    RelationOut,
    TimelineBucket,
)
from marsad.web.deps import Reader, db, web_state
from marsad.web.queries import (
    NotFound,
    co_occurring,
    entity_or_404,
    entity_view,
    events_of,
    network_edges,
)
from marsad.web.sessions import SignedIn

router = APIRouter(tags=["knowledge"])
EntityIdPath = Annotated[str, Path(max_length=200, pattern=r"^[^\x00]+$")]


def relation_out(relation: Relation) -> RelationOut:
    return RelationOut(
        id=relation.id,
        subject=EntityRef.model_validate(relation.subject),
        predicate=relation.predicate,
        object=EntityRef.model_validate(relation.object),
        valid_date=relation.valid_date,
        document_id=relation.document_id,
        evidence_start=relation.evidence_start,
        evidence_end=relation.evidence_end,
    )


@router.get("/entities", response_model=Page[EntityOut])
def list_entities(
    paging: PagingParams,
    kind: ShortText | None = None,
    name: ShortText | None = None,
    _: SignedIn = Reader,
    session: Session = Depends(db),
    request: Request = None,  # type: ignore[assignment]
) -> Page[EntityOut]:
    """Entities by kind; `name` finds any alias in any script (after normalisation)."""
    query = select(Entity).order_by(Entity.name, Entity.id)
    if kind:
        query = query.where(Entity.kind == kind)
    if name:
        key = web_state(request).normalizer.key(name.strip())
        query = query.where(
            or_(
                Entity.id == name,
                Entity.id.in_(
                    select(Alias.entity_id).where(Alias.normalized.contains(key, autoescape=True))
                ),
            )
        )
    items, total = paged(session, query, paging)
    return page_of(EntityOut, items, total, paging)  # type: ignore[no-any-return]


@router.get("/entities/{entity_id}", response_model=EntityDetail)
def get_entity(
    entity_id: EntityIdPath, _: SignedIn = Reader, session: Session = Depends(db)
) -> EntityDetail:
    view = entity_view(session, entity_id)
    return EntityDetail(
        **EntityOut.model_validate(view.entity).model_dump(),
        aliases=[
            AliasOut.model_validate(a)
            for aliases in view.aliases_by_script.values()
            for a in aliases
        ],
        relations=[relation_out(line.relation) for line in view.relations],
        mention_count=view.mention_count,
    )


@router.get("/entities/{entity_id}/network", response_model=NetworkOut)
def entity_network(
    entity_id: EntityIdPath, _: SignedIn = Reader, session: Session = Depends(db)
) -> NetworkOut:
    """Entities named in the same documents, and the documents each pair shares."""
    entity_or_404(session, entity_id)
    network = co_occurring(session, entity_id)
    return NetworkOut(
        nodes=[
            NetworkNode(entity=EntityRef.model_validate(e), shared_documents=n) for e, n in network
        ],
        edges=[
            NetworkEdge(source=a, target=b, shared_documents=n)
            for a, b, n in network_edges(session, [entity_id, *(e.id for e, _ in network)])
        ],
    )


@router.get("/mentions", response_model=Page[MentionOut])
def list_mentions(
    paging: PagingParams,
    document_id: DatabaseId | None = None,
    entity_id: ShortText | None = None,
    method: ShortText | None = None,
    _: SignedIn = Reader,
    session: Session = Depends(db),
) -> Page[MentionOut]:
    query = select(Mention).order_by(Mention.document_id, Mention.start, Mention.id)
    if document_id is not None:
        query = query.where(Mention.document_id == document_id)
    if entity_id:
        query = query.where(Mention.entity_id == entity_id)
    if method:
        query = query.where(Mention.method == method)
    items, total = paged(session, query, paging)
    return page_of(MentionOut, items, total, paging)  # type: ignore[no-any-return]


@router.get("/relations", response_model=Page[RelationOut])
def list_relations(
    paging: PagingParams,
    entity_id: ShortText | None = None,
    predicate: ShortText | None = None,
    _: SignedIn = Reader,
    session: Session = Depends(db),
) -> Page[RelationOut]:
    query = (
        select(Relation)
        .options(selectinload(Relation.subject), selectinload(Relation.object))
        .order_by(Relation.id)
    )
    if entity_id:
        query = query.where(or_(Relation.subject_id == entity_id, Relation.object_id == entity_id))
    if predicate:
        query = query.where(Relation.predicate == predicate)
    items, total = paged(session, query, paging)
    return Page[RelationOut](
        items=[relation_out(r) for r in items],
        total=total,
        limit=paging.limit,
        offset=paging.offset,
    )


def event_query(
    type: str | None,
    entity_id: str | None,
    date_from: str | None,
    date_to: str | None,
    session: Session,
) -> Select[Event]:
    query = select(Event) if not entity_id else events_of(session, entity_id)
    query = query.options(selectinload(Event.actors), selectinload(Event.sources))
    if type:
        query = query.where(Event.type == type)
    if date_from:
        query = query.where(Event.date >= date_from)
    if date_to:
        query = query.where(func.substr(Event.date, 1, len(date_to)) <= date_to)
    return query


@router.get("/events", response_model=Page[EventOut])
def list_events(
    paging: PagingParams,
    type: ShortText | None = None,
    entity_id: ShortText | None = None,
    date_from: PartialDate | None = None,
    date_to: PartialDate | None = None,
    _: SignedIn = Reader,
    session: Session = Depends(db),
) -> Page[EventOut]:
    """Events, latest first, by type, entity (actor or place) and date."""
    query = event_query(type, entity_id, date_from, date_to, session).order_by(
        Event.date.desc(), Event.id.desc()
    )
    items, total = paged(session, query, paging)
    return page_of(EventOut, items, total, paging)  # type: ignore[no-any-return]


@router.get("/events/{event_id}", response_model=EventOut)
def get_event(
    event_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    _: SignedIn = Reader,
    session: Session = Depends(db),
) -> EventOut:
    event = session.get(Event, event_id)
    if event is None:
        raise NotFound(f"no event {event_id}")
    return EventOut.model_validate(event)


PERIOD_CHARS = {"year": 4, "month": 7, "day": 10}


@router.get("/timeline", response_model=list[TimelineBucket])
def timeline(
    by: Annotated[Literal["year", "month", "day"], Query()] = "month",
    type: ShortText | None = None,
    entity_id: ShortText | None = None,
    date_from: PartialDate | None = None,
    date_to: PartialDate | None = None,
    _: SignedIn = Reader,
    session: Session = Depends(db),
) -> list[TimelineBucket]:
    """Dated events counted per year, month or day (an event dated only to a coarser period
    than asked counts in that period)."""
    buckets: dict[str, list[int]] = defaultdict(list)
    query = event_query(type, entity_id, date_from, date_to, session).where(Event.date.is_not(None))
    for event in session.scalars(query.order_by(Event.date, Event.id)):
        buckets[(event.date or "")[: PERIOD_CHARS[by]]].append(event.id)
    return [
        TimelineBucket(period=p, count=len(ids), event_ids=ids)
        for p, ids in sorted(buckets.items())
    ]
