"""Merging reports of one happening across documents, and keeping each event true to its
sources.

A coded report joins an existing event of the same type when it agrees with EVERY source of
that event, not just with the event as merged so far (so reports never chain: A~B and B~C
does not put A with C): they share a participant on the same side, their partial dates are
compatible (one is a prefix of the other, or the days are close: one day for dates read in
text, three when either is a publication-date fallback), their places do not differ, and
when both name whom it was against (linked targets, victims) they name one in common. The event's
date is then its most certain source's (an analyst's correction, then a date read in text,
then certainty, then precision); the others stay on their sources.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from marsad.events.model import CodedEvent
from marsad.events.taxonomy import Taxonomy, default_taxonomy
from marsad.store.models import Entity, Event, EventActor, EventSource
from marsad.text.dates.model import CERTAINTIES

PRECISIONS = ("year", "month", "day")
DATE_SOURCE_RANK = {"analyst": 2, "text": 1, "published": 0}
TEXT_DAYS, FALLBACK_DAYS = 1, 3


def _day(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None


def dates_compatible(
    first: str | None, first_source: str | None, second: str | None, second_source: str | None
) -> bool:
    if not first or not second:
        return True
    if first.startswith(second) or second.startswith(first):
        return True
    a, b = _day(first), _day(second)
    if a is None or b is None:
        return False
    tolerance = FALLBACK_DAYS if "published" in (first_source, second_source) else TEXT_DAYS
    return abs((a - b).days) <= tolerance


def date_rank(source: EventSource) -> tuple[int, int, int]:
    return (
        DATE_SOURCE_RANK.get(source.date_source or "", -1),
        CERTAINTIES.index(source.date_certainty) if source.date_certainty in CERTAINTIES else -1,
        PRECISIONS.index(source.date_precision) if source.date_precision in PRECISIONS else -1,
    )


def source_row(document_id: int, stage: str, coded: CodedEvent) -> EventSource:
    date = coded.date
    return EventSource(
        document_id=document_id,
        stage=stage,
        start=coded.start,
        end=coded.end,
        date=date.value if date else None,
        date_precision=date.precision if date else None,
        date_certainty=date.certainty if date else None,
        date_expression=date.expression if date else None,
        date_calendar=date.calendar if date else None,
        date_source=date.source if date else None,
        coded=coded.coded_record(),
    )


def _side(role: str, symmetric: bool) -> str:
    return "participant" if symmetric and role == "actor" else role


SUFFERING = ("target", "victim")


def _sides(coded: dict[str, Any], symmetric: bool) -> set[tuple[str, str]]:
    return {
        (a["entity_id"], _side(a["role"], symmetric)) for a in coded["actors"] if a.get("entity_id")
    }


def _suffering(coded: dict[str, Any]) -> set[str]:
    """Whom a report says it was against, by entity: surfaces differ across languages and
    wordings ("US forces in Iraq", "القوات الأمريكية") and cannot tell two targets apart."""
    return {
        a["entity_id"] for a in coded["actors"] if a["role"] in SUFFERING and a.get("entity_id")
    }


def _agreement(source: EventSource, other: EventSource, symmetric: bool) -> int:
    """How many participants two reports share on the same side; 0 when they cannot be the
    same happening (dates, places, or whom it was against differ)."""
    if not dates_compatible(source.date, source.date_source, other.date, other.date_source):
        return 0
    place, other_place = source.coded.get("place_id"), other.coded.get("place_id")
    if place and other_place and place != other_place:
        return 0
    suffering, other_suffering = _suffering(source.coded), _suffering(other.coded)
    if suffering and other_suffering and not suffering & other_suffering:
        return 0
    # The same people on the same side: "A threatened B" is not "B threatened A".
    return len(_sides(source.coded, symmetric) & _sides(other.coded, symmetric))


# Stored events of a type with any of the given actors (built once: each report asks).
EVENTS_WITH_ACTORS = (
    select(Event)
    .join(EventActor, EventActor.event_id == Event.id)
    .where(
        Event.type == bindparam("type"), EventActor.entity_id.in_(bindparam("ids", expanding=True))
    )
    .distinct()
    .order_by(Event.id)  # of equally good events, the oldest: the same on every database
)


class EventMerger:
    def __init__(self, session: Session, taxonomy: Taxonomy | None = None) -> None:
        self.session = session
        self.taxonomy = taxonomy or default_taxonomy()
        # Events this merger created or changed, in order: with `flush=False` they may not be
        # in the database yet, so matching reads them from memory.
        self.touched: list[Event] = []

    def add(self, source: EventSource, flush: bool = True) -> Event:
        """Attach a report to the event it describes, or to a new event. With `flush=False`
        nothing is written until the caller flushes (one batch for a document's reports)."""
        with self.session.no_autoflush:  # what is pending is read from memory
            event = self._matching_event(source)
            if event is None:
                event = Event(type=source.coded["type"])
                self.session.add(event)
            event.sources.append(source)
            self.refresh(event)
        if not any(e is event for e in self.touched):
            self.touched.append(event)
        if flush:
            self.session.flush()
        return event

    def detach(self, sources: Iterable[EventSource]) -> None:
        """Remove reports; their events are recomputed, or deleted when left without one."""
        events: dict[int, Event] = {}
        for source in sources:
            event = self.session.get(Event, source.event_id)
            if event is not None:
                event.sources.remove(source)
                events[event.id] = event
            self.session.delete(source)
        self.session.flush()
        for event in events.values():
            if event.sources:
                self.refresh(event)
            else:
                self.session.delete(event)
        self.session.flush()

    def _matching_event(self, source: EventSource) -> Event | None:
        coded = source.coded
        symmetric = self.taxonomy.get(coded["type"]).symmetric
        sides = _sides(coded, symmetric)
        ids = sorted({entity_id for entity_id, _ in sides})
        if not ids:
            return None
        stored = list(self.session.scalars(EVENTS_WITH_ACTORS, {"type": coded["type"], "ids": ids}))
        touched = {id(e) for e in self.touched}
        candidates = [e for e in stored if id(e) not in touched] + [
            e
            for e in self.touched
            if e.type == coded["type"] and any(a.entity_id in ids for a in e.actors)
        ]
        # of equally good events, the oldest: stored ones by id, then those created here
        candidates.sort(key=lambda e: (e.id is None, e.id or 0))
        best: tuple[int, Event] | None = None
        for event in candidates:
            shared = [_agreement(source, other, symmetric) for other in event.sources]
            if not shared or not all(shared):
                continue
            total = sum(shared)
            if best is None or total > best[0]:
                best = (total, event)
        return best[1] if best else None

    def refresh(self, event: Event) -> None:
        """Recompute an event from its sources: actors, place, date, severity, summary."""
        sources = sorted(event.sources, key=lambda s: (s.document_id, s.start))
        event.type = sources[0].coded["type"]
        best = max(sources, key=date_rank)
        event.date, event.date_precision = best.date, best.date_precision
        event.date_certainty, event.date_expression = best.date_certainty, best.date_expression
        event.date_calendar, event.date_source = best.date_calendar, best.date_source
        places = Counter(s.coded.get("place_id") for s in sources if s.coded.get("place_id"))
        event.place_id = places.most_common(1)[0][0] if places else None
        severities = [s.coded.get("severity") for s in sources if s.coded.get("severity")]
        event.severity = severities[0] if severities else None
        modalities = {s.coded.get("modality", "asserted") for s in sources}
        event.modality = "asserted" if "asserted" in modalities else "hypothetical"
        event.language = sources[0].coded.get("language")
        event.confidence = max(float(s.coded.get("confidence", 0.5)) for s in sources)
        self._refresh_actors(event, sources)
        event.summary = self.summary(event)

    def _refresh_actors(self, event: Event, sources: list[EventSource]) -> None:
        roles: dict[tuple[str | None, str | None], Counter[str]] = {}
        for source in sources:
            for actor in source.coded["actors"]:
                key = (actor.get("entity_id"), None if actor.get("entity_id") else actor["surface"])
                roles.setdefault(key, Counter())[actor["role"]] += 1
        wanted = {key: counts.most_common(1)[0][0] for key, counts in roles.items()}
        current = {(a.entity_id, a.surface if not a.entity_id else None): a for a in event.actors}
        for key, actor in current.items():
            if key not in wanted:
                event.actors.remove(actor)
            else:
                actor.role = wanted[key]
        for key, role in wanted.items():
            if key not in current:
                entity_id, surface = key
                event.actors.append(EventActor(entity_id=entity_id, surface=surface, role=role))

    def summary(self, event: Event) -> str:
        label = (
            self.taxonomy.types[event.type].label
            if event.type in self.taxonomy.types
            else event.type
        )
        by_role: dict[str, list[str]] = {}
        for actor in event.actors:
            entity = self.session.get(Entity, actor.entity_id) if actor.entity_id else None
            by_role.setdefault(actor.role, []).append(
                entity.name if entity else actor.surface or "?"
            )
        parts = [label]
        parts += [f"{role}: {', '.join(names)}" for role, names in by_role.items()]
        place = self.session.get(Entity, event.place_id) if event.place_id else None
        if place is not None:
            parts.append(f"in {place.name}")
        return "; ".join(parts)
