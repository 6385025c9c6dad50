"""Timelines: an organisation's or a person's events — its own, its members' (KB relations
member_of, leader_of, commander_of, ...), and those against it — ordered by partial date,
with the precision and certainty of each date shown ("Jan 2020 (likely)")."""

from __future__ import annotations

import datetime
import html
import json
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from marsad.errors import ConfigError
from marsad.events.formats import FORMATS
from marsad.export.records import Record, event_record
from marsad.link.kb import PARTIAL_DATE
from marsad.link.matcher import BELONGING
from marsad.store.models import Entity, Event, EventActor, Relation

# Predicates whose subject belongs to (or speaks for) the object: the linker's own set.
MEMBERSHIP = sorted(BELONGING)
AGAINST_ROLES = ("target", "victim")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class TimelineEntry:
    event: Event
    relation: str  # own | member | against
    via: Entity | None  # the member whose event it is


def shown_date(event: Event) -> str:
    """ "15 Jan 2020", "Jan 2020 (likely)", "2020 (possible, publication date)"."""
    if not event.date:
        return "undated"
    parts = event.date.split("-")
    text = parts[0]
    if len(parts) >= 2:
        text = f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 3:
        text = f"{int(parts[2])} {text}"
    notes = [event.date_certainty] if event.date_certainty not in (None, "certain") else []
    if event.date_source == "published":
        notes.append("publication date")
    elif event.date_source == "analyst":
        notes.append("corrected")
    return f"{text} ({', '.join(notes)})" if notes else text


def date_bound(value: str | None, upper: bool) -> str | None:
    """A partial date as the first (or last) day it covers."""
    if value is None:
        return None
    if not PARTIAL_DATE.match(value):
        raise ConfigError(f"expected a date as YYYY, YYYY-MM or YYYY-MM-DD, not {value!r}")
    year, month, day = [*value.split("-"), None, None][:3]
    if day:
        return value
    if month:
        if not upper:
            return f"{value}-01"
        first = datetime.date(int(year or 0), int(month), 1)
        following = (first + datetime.timedelta(days=32)).replace(day=1)
        return (following - datetime.timedelta(days=1)).isoformat()
    return f"{value}-12-31" if upper else f"{value}-01-01"


def members_of(session: Session, entity_id: str) -> dict[str, str]:
    """Members (persons, branches, outlets) of an organisation, from the KB and from roles
    read in the text, with the predicate that makes them members."""
    rows = session.execute(
        select(Relation.subject_id, Relation.predicate).where(
            Relation.object_id == entity_id, Relation.predicate.in_(MEMBERSHIP)
        )
    )
    return {subject: predicate for subject, predicate in rows if subject != entity_id}


def timeline(
    session: Session, entity: Entity, date_from: str | None = None, date_to: str | None = None
) -> list[TimelineEntry]:
    members = members_of(session, entity.id)
    ids = [entity.id, *members]
    query = (
        select(Event)
        .join(EventActor, EventActor.event_id == Event.id)
        .where(EventActor.entity_id.in_(ids))
        .options(selectinload(Event.actors), selectinload(Event.sources))
        .distinct()
    )
    start, end = date_bound(date_from, False), date_bound(date_to, True)
    if start or end:
        query = query.where(Event.date.is_not(None))
    entries = []
    for event in session.scalars(query):
        if start and (date_bound(event.date, True) or "") < start:
            continue
        if end and (date_bound(event.date, False) or "") > end:
            continue
        entries.append(_entry(session, event, entity.id, members))
    return sorted(entries, key=lambda e: (date_bound(e.event.date, False) or "9999", e.event.id))


def _entry(
    session: Session, event: Event, entity_id: str, members: dict[str, str]
) -> TimelineEntry:
    roles = {(a.entity_id, a.role) for a in event.actors}
    if any(e == entity_id and role in AGAINST_ROLES for e, role in roles):
        return TimelineEntry(event, "against", None)
    if any(e == entity_id for e, _ in roles):
        return TimelineEntry(event, "own", None)
    member = next(e for e, role in sorted(roles, key=str) if e in members)
    return TimelineEntry(event, "member", session.get(Entity, member))


def entry_record(session: Session, entry: TimelineEntry) -> Record:
    record = event_record(session, entry.event)
    record["shown_date"] = shown_date(entry.event)
    record["relation"] = entry.relation
    record["via"] = (
        None if entry.via is None else {"entity_id": entry.via.id, "name": entry.via.name}
    )
    return record


def _line(entry: TimelineEntry) -> str:
    via = f" (via {entry.via.name})" if entry.via else ""
    marker = {"own": "", "member": "member", "against": "against"}[entry.relation]
    tag = f"[{marker}{via}] " if marker else ""
    return f"{shown_date(entry.event):<32} {tag}{entry.event.summary or entry.event.type}"


def render(
    session: Session, entity: Entity, entries: Iterable[TimelineEntry], output_format: str
) -> str:
    entries = list(entries)
    if output_format == "text":
        lines = [f"Timeline of {entity.name} ({entity.kind}): {len(entries)} events"]
        lines += [_line(entry) for entry in entries]
        return "\n".join(lines) + "\n"
    if output_format == "jsonl":
        return "".join(
            json.dumps(entry_record(session, entry), ensure_ascii=False) + "\n" for entry in entries
        )
    if output_format == "html":
        return _html(session, entity, entries)
    raise ConfigError(f"unknown format {output_format!r}; choose from {', '.join(FORMATS)}")


def _html(session: Session, entity: Entity, entries: list[TimelineEntry]) -> str:
    rows = []
    for entry in entries:
        record = entry_record(session, entry)
        quotes = "".join(
            f'<blockquote dir="auto">{html.escape(s["evidence"]["quote"])}'
            f" <small>(document {s['document_id']}, {s['evidence']['start']}–"
            f"{s['evidence']['end']})</small></blockquote>"
            for s in record["sources"]
            if s["evidence"]
        )
        via = f" via {html.escape(entry.via.name)}" if entry.via else ""
        rows.append(
            f"<tr><td>{html.escape(shown_date(entry.event))}</td>"
            f"<td>{html.escape(entry.event.type)}</td><td>{entry.relation}{via}</td>"
            f"<td>{html.escape(entry.event.summary or '')}{quotes}</td></tr>"
        )
    title = html.escape(f"Timeline of {entity.name}")
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        "<style>body{font-family:sans-serif}td{vertical-align:top;padding:4px 8px}"
        "blockquote{margin:4px 0;color:#444}</style></head><body>"
        f"<h1>{title}</h1><p>{len(entries)} events</p>"
        "<table><thead><tr><th>date</th><th>type</th><th>relation</th><th>what</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></body></html>\n"
    )
