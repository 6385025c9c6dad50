"""Analyst corrections of coded events: change the type, the date or an actor, or delete.

A correction is stored against the evidence it was made on — document, sentence span and the
type the coder gave it — never against an event id, because the `events` stage rebuilds
events on every run. The stage applies the stored corrections to each report it codes, so
they survive re-runs; correcting now re-merges the event's reports at once.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from marsad.errors import EventNotFound, InvalidCorrection
from marsad.events.merge import EventMerger
from marsad.events.taxonomy import Taxonomy, default_taxonomy
from marsad.link.kb import PARTIAL_DATE
from marsad.store.models import AuditLog, Entity, Event, EventCorrection, EventSource
from marsad.store.models.events import EVENT_ROLES
from marsad.text.dates.model import CERTAINTIES

ACTIONS = ("type", "date", "add_actor", "remove_actor", "delete")
PRECISION_BY_LENGTH = {4: "year", 7: "month", 10: "day"}
SpanKey = tuple[int, int]


# Read for every coded document: built once (assembling a statement costs more than running it).
DOCUMENT_CORRECTIONS = (
    select(EventCorrection)
    .where(EventCorrection.document_id == bindparam("document_id"))
    .order_by(EventCorrection.id)
)


def corrections_by_span(session: Session, document_id: int) -> dict[SpanKey, list[EventCorrection]]:
    found: dict[SpanKey, list[EventCorrection]] = defaultdict(list)
    for correction in session.scalars(DOCUMENT_CORRECTIONS, {"document_id": document_id}):
        found[(correction.start, correction.end)].append(correction)
    return found


def apply_corrections(source: EventSource, corrections: list[EventCorrection]) -> bool:
    """Apply, in the order made, the corrections meant for this report; False: deleted."""
    coded = dict(source.coded)
    coded.setdefault("coded_type", coded["type"])
    for correction in corrections:
        value = correction.value
        if value.get("coded_type") not in (None, coded["coded_type"]):
            continue
        if correction.action == "delete":
            return False
        if correction.action == "type":
            coded["type"] = value["type"]
        elif correction.action == "date":
            source.date, source.date_precision = value["date"], value["precision"]
            source.date_certainty, source.date_source = value["certainty"], "analyst"
            source.date_expression, source.date_calendar = value.get("expression"), "gregorian"
        elif correction.action == "add_actor":
            actors = [a for a in coded["actors"] if a.get("entity_id") != value["entity_id"]]
            coded["actors"] = [
                *actors,
                {"entity_id": value["entity_id"], "surface": value["name"], "role": value["role"]},
            ]
        elif correction.action == "remove_actor":
            coded["actors"] = [
                a for a in coded["actors"] if a.get("entity_id") != value["entity_id"]
            ]
    source.coded = coded
    return True


def correction_value(
    session: Session,
    action: str,
    taxonomy: Taxonomy,
    event_type: str | None = None,
    date: str | None = None,
    certainty: str = "certain",
    entity: str | None = None,
    role: str = "actor",
) -> dict[str, Any]:
    """The stored value of a correction, checked against the taxonomy and the KB."""
    if action == "type":
        if event_type not in taxonomy.types:
            raise InvalidCorrection(
                f"unknown event type {event_type!r}; choose from {', '.join(taxonomy.types)}"
            )
        return {"type": event_type}
    if action == "date":
        if not date or not PARTIAL_DATE.match(date):
            raise InvalidCorrection(f"a date is YYYY, YYYY-MM or YYYY-MM-DD, not {date!r}")
        if certainty not in CERTAINTIES:
            raise InvalidCorrection(f"certainty is one of {', '.join(CERTAINTIES)}")
        return {"date": date, "precision": PRECISION_BY_LENGTH[len(date)], "certainty": certainty}
    if action in ("add_actor", "remove_actor"):
        found = session.get(Entity, entity or "")
        if found is None:
            raise InvalidCorrection(f"no entity with id {entity!r} (see `marsad kb show`)")
        if role not in EVENT_ROLES:
            raise InvalidCorrection(f"role is one of {', '.join(EVENT_ROLES)}")
        return {"entity_id": found.id, "name": found.name, "role": role}
    if action == "delete":
        return {}
    raise InvalidCorrection(f"unknown correction {action!r}; choose from {', '.join(ACTIONS)}")


def correct_event(
    session: Session,
    event_id: int,
    action: str,
    value: dict[str, Any],
    analyst: str,
    taxonomy: Taxonomy | None = None,
) -> Event | None:
    """Record the correction for every report of the event and re-merge those reports.
    Returns the event the first report now belongs to (None after a deletion)."""
    event = session.get(Event, event_id)
    if event is None:
        raise EventNotFound(f"no event with id {event_id}")
    merger = EventMerger(session, taxonomy or default_taxonomy())
    reports = sorted(event.sources, key=lambda s: (s.document_id, s.start))
    copies = []
    for report in reports:
        # A report added by hand (an import, a test) has no coded record: its event's type is.
        coded = report.coded or {}
        coded_type = coded.get("coded_type", coded.get("type", event.type))
        correction = EventCorrection(
            document_id=report.document_id,
            start=report.start,
            end=report.end,
            action=action,
            value={**value, "coded_type": coded_type},
            made_by=analyst,
        )
        session.add(correction)
        copy = EventSource(
            document_id=report.document_id,
            stage=report.stage,
            start=report.start,
            end=report.end,
            date=report.date,
            date_precision=report.date_precision,
            date_certainty=report.date_certainty,
            date_expression=report.date_expression,
            date_calendar=report.date_calendar,
            date_source=report.date_source,
            coded=dict(coded),
        )
        if apply_corrections(copy, [correction]):
            copies.append(copy)
    session.add(
        AuditLog(
            action="events.correct",
            target_kind="event",
            target_id=str(event_id),
            details={
                "action": action,
                "value": value,
                "by": analyst,
                "sources": [[r.document_id, r.start, r.end] for r in reports],
            },
        )
    )
    merger.detach(reports)
    result = None
    for copy in copies:
        merged = merger.add(copy)
        result = result or merged
    return result
