"""`marsad events list|show|correct` and `marsad timeline ENTITY`."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from marsad.cli.console import console
from marsad.cli.preserve import analyst
from marsad.errors import EntityNotFound, EventNotFound, InvalidCorrection
from marsad.events.formats import FORMATS

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from marsad.link.store import KnowledgeBaseStore
    from marsad.store.models import Entity, Event

events_app = typer.Typer(
    help="Events coded from the text: list them, show their sources, correct them.",
    no_args_is_help=True,
)


@contextmanager
def _session() -> Iterator[tuple[Session, KnowledgeBaseStore]]:
    from marsad.link.aliases import default_variant_generator
    from marsad.link.kb import kb_schema
    from marsad.link.store import KnowledgeBaseStore
    from marsad.text.normalize import default_normalizer
    from marsad.workspace import Workspace

    with Workspace.open() as workspace, workspace.database.session() as session:
        skip = workspace.settings.normalize_skip
        store = KnowledgeBaseStore(
            session, default_normalizer(skip), default_variant_generator(skip), kb_schema()
        )
        yield session, store


def _entity(store: KnowledgeBaseStore, name: str) -> Entity:
    found = store.find(name)
    if not found:
        raise EntityNotFound(f"no entity has the name, alias or id {name!r}")
    if len(found) > 1:
        choices = ", ".join(f"{e.id} ({e.name})" for e in found[:6])
        raise EntityNotFound(f"{name!r} names several entities; give one id: {choices}")
    return found[0]


def _actors(session: Session, event: Event) -> str:
    from marsad.store.models import Entity

    names = []
    for actor in sorted(event.actors, key=lambda a: a.id):
        entity = session.get(Entity, actor.entity_id) if actor.entity_id else None
        names.append(f"{entity.name if entity else actor.surface} ({actor.role})")
    return "; ".join(names)


def list_events(
    event_type: Annotated[
        str | None, typer.Option("--type", help="Only events of this taxonomy code.")
    ] = None,
    entity: Annotated[
        str | None, typer.Option("--entity", help="Only events with this entity (any role).")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Show at most N events.")] = 50,
) -> None:
    """Events by date: id, date with precision, type, actors with roles, place, sources."""
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from marsad.events.taxonomy import default_taxonomy
    from marsad.events.timeline import shown_date
    from marsad.store.models import Entity, Event, EventActor

    table = Table("id", "date", "type", "actors", "place", "sources")
    with _session() as (session, store):
        query = select(Event).options(selectinload(Event.actors), selectinload(Event.sources))
        if event_type:
            default_taxonomy().get(event_type)
            query = query.where(Event.type == event_type)
        if entity:
            found = _entity(store, entity)
            query = query.where(
                Event.id.in_(select(EventActor.event_id).where(EventActor.entity_id == found.id))
            )
        query = query.order_by(Event.date.is_(None), Event.date, Event.id).limit(limit)
        count = 0
        for event in session.scalars(query):
            count += 1
            place = session.get(Entity, event.place_id) if event.place_id else None
            table.add_row(
                str(event.id),
                shown_date(event),
                event.type + (f" ({event.severity})" if event.severity else ""),
                _actors(session, event),
                place.name if place else "—",
                str(len(event.sources)),
            )
    if not count:
        console.print("no events (the events stage codes them from linked documents)")
        return
    console.print(table)
    console.print(f"{count} events shown; `marsad events show ID` gives sources and quotes")


def show(event_id: Annotated[int, typer.Argument(help="The event's id.")]) -> None:
    """One event: its date and where it came from, each source with its own date and quote."""
    from marsad.events.timeline import shown_date
    from marsad.store.models import Document, Event

    with _session() as (session, _store):
        event = session.get(Event, event_id)
        if event is None:
            raise EventNotFound(f"no event with id {event_id}")
        console.print(f"event {event.id}: {event.summary}", markup=False)
        console.print(
            f"  date      {shown_date(event)}  [{event.date_expression or '—'}]", markup=False
        )
        if event.severity:
            console.print(f"  severity  {event.severity}", markup=False)
        console.print(f"  actors    {_actors(session, event)}", markup=False)
        for source in sorted(event.sources, key=lambda s: (s.document_id, s.start)):
            document = source.document_id
            quote = (session.get_one(Document, document).text or "")[source.start : source.end]
            console.print(
                f"  document {document} [{source.start}:{source.end}] "
                f"{source.date or 'undated'} ({source.date_certainty}, {source.date_source}): "
                f"“{quote}”",
                markup=False,
            )


def correct(
    event_id: Annotated[int, typer.Argument(help="The event's id (`marsad events list`).")],
    new_type: Annotated[
        str | None, typer.Option("--type", help="Change the type to this taxonomy code.")
    ] = None,
    date: Annotated[
        str | None, typer.Option("--date", help="Set the date: YYYY, YYYY-MM or YYYY-MM-DD.")
    ] = None,
    certainty: Annotated[
        str, typer.Option("--certainty", help="With --date: certain, likely or possible.")
    ] = "certain",
    add_actor: Annotated[
        str | None, typer.Option("--add-actor", help="Add this entity (name or id), --role.")
    ] = None,
    remove_actor: Annotated[
        str | None, typer.Option("--remove-actor", help="Remove this entity from the event.")
    ] = None,
    role: Annotated[str, typer.Option("--role", help="With --add-actor: its role.")] = "actor",
    delete: Annotated[
        bool, typer.Option("--delete", help="Delete the event (not coded again on re-runs).")
    ] = False,
) -> None:
    """Correct an event; the correction is kept across re-runs and written to the audit log."""
    from marsad.events.corrections import correct_event, correction_value
    from marsad.events.taxonomy import default_taxonomy

    chosen = [
        name
        for name, given in (
            ("type", new_type),
            ("date", date),
            ("add_actor", add_actor),
            ("remove_actor", remove_actor),
            ("delete", delete or None),
        )
        if given
    ]
    if len(chosen) != 1:
        raise InvalidCorrection(
            "give exactly one of --type, --date, --add-actor, --remove-actor, --delete"
        )
    action = chosen[0]
    with _session() as (session, store):
        entity_id = None
        if add_actor or remove_actor:
            entity_id = _entity(store, add_actor or remove_actor or "").id
        value = correction_value(
            session, action, default_taxonomy(), new_type, date, certainty, entity_id, role
        )
        result = correct_event(session, event_id, action, value, analyst())
        message = (
            f"event {event_id} deleted"
            if result is None
            else f"event {event_id} corrected ({action}); now event {result.id}: {result.summary}"
        )
    console.print(message, markup=False)


def timeline(
    entity: Annotated[str, typer.Argument(help="An organisation or person: name, alias or id.")],
    date_from: Annotated[
        str | None, typer.Option("--from", help="From this partial date (YYYY[-MM[-DD]]).")
    ] = None,
    date_to: Annotated[
        str | None, typer.Option("--to", help="Up to this partial date (YYYY[-MM[-DD]]).")
    ] = None,
    output_format: Annotated[
        str, typer.Option("--format", "-f", help=f"One of: {', '.join(FORMATS)}.")
    ] = "text",
) -> None:
    """An entity's events (its own, its members', those against it) ordered by date."""
    from marsad.events.timeline import render
    from marsad.events.timeline import timeline as build_timeline

    with _session() as (session, store):
        found = _entity(store, entity)
        entries = build_timeline(session, found, date_from, date_to)
        sys.stdout.write(render(session, found, entries, output_format))
