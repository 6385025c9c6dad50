"""What's new for one user: since their last visit, the first appearances of texts naming the
groups they watch (the entities of their alert rules, with members) and the new events those
groups take part in, threats first; each with its quote, language and source; counts by day.

Read in a fixed number of queries whatever the number of documents or events."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Select, case, func, or_, select
from sqlalchemy.orm import Session, load_only, selectinload

from marsad.alert.matching import QUOTE_CONTEXT, members_of
from marsad.alert.rules import Conditions
from marsad.cluster.origin import first_copy
from marsad.errors import AlertRuleError
from marsad.events.taxonomy import default_taxonomy
from marsad.store.models import (
    AlertRule,
    Capture,
    Document,
    Entity,
    Event,
    EventActor,
    Mention,
    Source,
    User,
    utcnow,
)
from marsad.web.queries import event_evidence

FIRST_WINDOW = timedelta(days=7)  # a first visit shows the last week
NEW_VISIT_AFTER = timedelta(hours=1)  # reloads within the hour belong to the same visit
MAX_ITEMS = 50  # of each list, the newest (threats first); the counts by day cover all


def visit_window(user: User, now: datetime) -> datetime:
    """Where this visit's news starts (the previous visit), and the visit recorded."""
    if user.desk_visited_at is None:
        since = now - FIRST_WINDOW
    elif now - user.desk_visited_at >= NEW_VISIT_AFTER:
        since = user.desk_visited_at
    else:
        since = user.desk_since or now - FIRST_WINDOW
    user.desk_since, user.desk_visited_at = since, now
    return since


def watched_entities(session: Session, user_id: int) -> dict[str, str]:
    """Entity id -> name: the entities of the user's enabled rules, and their members when
    the rule counts them."""
    watched: dict[str, bool] = {}
    for conditions in session.scalars(
        select(AlertRule.conditions).where(
            AlertRule.owner_id == user_id, AlertRule.enabled.is_(True)
        )
    ):
        try:
            rule = Conditions.from_dict(conditions or {})
        except AlertRuleError:  # a rule stored by hand, broken: it watches nothing here
            continue
        for entity_id in rule.entities:
            watched[entity_id] = watched.get(entity_id, False) or rule.include_members
    ids = set(watched)
    for entity_id, with_members in watched.items():
        if with_members:
            ids.update(members_of(session, entity_id))
    if not ids:
        return {}
    return dict(session.execute(select(Entity.id, Entity.name).where(Entity.id.in_(ids))).all())


@dataclass(frozen=True)
class NewDocument:
    document: Document
    source: str | None
    quote: str
    names: tuple[str, ...]  # the watched entities it names
    copies: int  # later copies of the same text already seen


@dataclass(frozen=True)
class NewEvent:
    event: Event
    actors: tuple[str, ...]
    quote: str
    document_id: int | None
    source: str | None


@dataclass
class News:
    since: datetime
    watched: dict[str, str]
    documents: list[NewDocument] = field(default_factory=list)
    events: list[NewEvent] = field(default_factory=list)
    # Day, texts naming the watched groups (copies too), new events: all, not only those listed.
    by_day: list[tuple[str, int, int]] = field(default_factory=list)


def _quote(text: str, start: int, end: int) -> str:
    left, right = max(0, start - QUOTE_CONTEXT), min(len(text), end + QUOTE_CONTEXT)
    return ("…" if left else "") + " ".join(text[left:right].split()) + (
        "…" if right < len(text) else "")  # fmt: skip


def _first_appearances(session: Session, documents: list[Document]) -> dict[int, int]:
    """Document id -> number of other copies, for the documents that are the first
    appearance of their text (alone, or earliest of their near-duplicate group)."""
    clusters = {d.cluster_id for d in documents if d.cluster_id is not None}
    copies: dict[int, list[Document]] = defaultdict(list)
    if clusters:
        for copy in session.scalars(
            select(Document)
            .options(
                load_only(
                    Document.id,
                    Document.cluster_id,
                    Document.published,
                    Document.properties,
                    Document.first_seen_at,
                )
            )
            .where(Document.cluster_id.in_(clusters))
        ):
            copies[copy.cluster_id or 0].append(copy)
    first: dict[int, int] = {}
    for document in documents:
        if document.cluster_id is None:
            first[document.id] = 0
            continue
        group = copies[document.cluster_id]
        if first_copy(group).id == document.id:
            first[document.id] = len(group) - 1
    return first


def _new_documents(session: Session, since: datetime, watched: dict[str, str]) -> list[NewDocument]:
    query = (
        select(Document, Source.name)
        .join(Capture, Capture.id == Document.capture_id)
        .outerjoin(Source, Source.id == Capture.source_id)
        .where(Document.first_seen_at >= since)
        .order_by(Document.first_seen_at.desc(), Document.id.desc())
        .limit(MAX_ITEMS)
    )
    mentions: dict[int, list[Mention]] = defaultdict(list)
    if watched:
        query = query.where(Document.id.in_(_watched_documents(watched)))
    rows = session.execute(query).all()
    if watched and rows:
        for mention in session.scalars(
            select(Mention)
            .where(
                Mention.document_id.in_([d.id for d, _ in rows]),
                Mention.entity_id.in_(watched),
                or_(Mention.verdict.is_(None), Mention.verdict != "rejected"),
            )
            .order_by(Mention.document_id, Mention.start)
        ):
            mentions[mention.document_id].append(mention)
    first = _first_appearances(session, [d for d, _ in rows])
    found = []
    for document, source in rows:
        if document.id not in first or (watched and not mentions[document.id]):
            continue
        text = document.text or ""
        named = mentions[document.id]
        quote = _quote(text, named[0].start, named[0].end) if named else _quote(text, 0, 0)
        names = tuple(dict.fromkeys(watched[m.entity_id] for m in named if m.entity_id))
        found.append(NewDocument(document, source, quote, names, first[document.id]))
    return found


def _threat_rank(event: Event) -> tuple[int, int]:
    taxonomy = default_taxonomy()
    severities = list(taxonomy.severities)
    event_type = taxonomy.types.get(event.type)
    if event_type is None or not event_type.has_severity:
        return (1, 0)
    return (
        0,
        severities.index(event.severity) if event.severity in severities else len(severities),
    )


def _new_events(session: Session, since: datetime, watched: dict[str, str]) -> list[NewEvent]:
    query = (
        select(Event)
        .options(selectinload(Event.actors), selectinload(Event.sources))
        .where(Event.created_at >= since)
        .order_by(
            case((Event.type.in_(_threat_types()), 0), else_=1),
            Event.created_at.desc(),
            Event.id.desc(),
        )
        .limit(MAX_ITEMS)
    )
    if watched:
        query = query.where(_watched_events(watched))
    events = list(session.scalars(query))
    evidence = event_evidence(session, [e.id for e in events])
    names = _names(session, {a.entity_id for e in events for a in e.actors if a.entity_id})
    sources = _sources_of(session, {found.document_id for found in evidence.values()})
    found = []
    for event in sorted(events, key=_threat_rank):  # stable: newest first within a rank
        proof = evidence.get(event.id)
        actors = tuple(
            f"{names.get(a.entity_id or '', a.surface or '?')} ({a.role})" for a in event.actors
        )
        found.append(
            NewEvent(event, actors, proof.quote if proof else "",
                     proof.document_id if proof else None,
                     sources.get(proof.document_id) if proof else None)
        )  # fmt: skip
    return found


def _names(session: Session, ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    return dict(session.execute(select(Entity.id, Entity.name).where(Entity.id.in_(ids))).all())


def _sources_of(session: Session, document_ids: set[int]) -> dict[int, str | None]:
    if not document_ids:
        return {}
    return dict(
        session.execute(
            select(Document.id, Source.name)
            .join(Capture, Capture.id == Document.capture_id)
            .outerjoin(Source, Source.id == Capture.source_id)
            .where(Document.id.in_(document_ids))
        ).all()
    )


def _threat_types() -> list[str]:
    return [code for code, kind in default_taxonomy().types.items() if kind.has_severity]


def _watched_documents(watched: dict[str, str]) -> Select[int]:
    return select(Mention.document_id).where(Mention.entity_id.in_(watched))


def _watched_events(watched: dict[str, str]) -> ColumnElement[bool]:
    acting = select(EventActor.event_id).where(EventActor.entity_id.in_(watched))
    return or_(Event.id.in_(acting), Event.place_id.in_(watched))


def _by_day(
    session: Session, since: datetime, watched: dict[str, str]
) -> list[tuple[str, int, int]]:
    """Counts per UTC day, in two aggregate queries."""
    day = func.date(Document.first_seen_at)
    texts = select(day, func.count()).where(Document.first_seen_at >= since).group_by(day)
    event_day = func.date(Event.created_at)
    events = select(event_day, func.count()).where(Event.created_at >= since).group_by(event_day)
    if watched:
        texts = texts.where(Document.id.in_(_watched_documents(watched)))
        events = events.where(_watched_events(watched))
    per_text = {str(d): int(n) for d, n in session.execute(texts)}
    per_event = {str(d): int(n) for d, n in session.execute(events)}
    days = sorted(set(per_text) | set(per_event), reverse=True)
    return [(d, per_text.get(d, 0), per_event.get(d, 0)) for d in days]


def whats_new(session: Session, user_id: int, since: datetime) -> News:
    watched = watched_entities(session, user_id)
    documents = _new_documents(session, since, watched)
    events = _new_events(session, since, watched)
    return News(since, watched, documents, events, _by_day(session, since, watched))


def default_since(user: User) -> datetime:
    """The window an API caller gets without `since`: the one the page showed last."""
    return user.desk_since or utcnow() - FIRST_WINDOW
