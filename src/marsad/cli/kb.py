"""`marsad kb sync|import|add|show`: the knowledge base of organisations, persons, outlets and
places."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from marsad.cli.console import console, escape
from marsad.cli.preserve import analyst
from marsad.errors import EntityNotFound, KnowledgeBaseError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from marsad.link.kb import KBEntry
    from marsad.link.store import KnowledgeBaseStore, SyncReport
    from marsad.store.models import Entity

kb_app = typer.Typer(
    help="The knowledge base: load the bundled seed, import lists, add and look up entities.",
    no_args_is_help=True,
)
# The prefix of ids `marsad kb add` makes up: marsad-org-kataib-hezbollah.
ID_PREFIXES = {"person": "person", "organization": "org", "media_outlet": "media"}


@contextmanager
def _store() -> Iterator[KnowledgeBaseStore]:
    from marsad.link.aliases import default_variant_generator
    from marsad.link.kb import kb_schema
    from marsad.link.store import KnowledgeBaseStore
    from marsad.text.normalize import default_normalizer
    from marsad.workspace import Workspace

    with Workspace.open() as workspace, workspace.database.session() as session:
        skip = workspace.settings.normalize_skip
        yield KnowledgeBaseStore(
            session, default_normalizer(skip), default_variant_generator(skip), kb_schema()
        )


def _sync(entries: Sequence[KBEntry], verb: str) -> SyncReport:
    with (
        _store() as store,
        Progress(
            TextColumn(verb), BarColumn(), MofNCompleteColumn(), console=console, transient=True
        ) as progress,
    ):
        task = progress.add_task(verb, total=len(entries))
        on_batch: Callable[[int], None] = lambda count: progress.advance(task, count)  # noqa: E731
        return store.sync_batches(entries, on_batch=on_batch)


def load_bundled_if_empty() -> str | None:
    """The bundled seed KB loaded into a database holding no entity yet (a first
    `marsad init`): a summary line, or None when the KB was not empty."""
    from sqlalchemy import select

    from marsad.link.kb import load_kb
    from marsad.store.models import Entity

    with _store() as store:
        if store.session.scalar(select(Entity.id).limit(1)) is not None:
            return None
    entries = load_kb()
    report = _sync(entries, "loading the knowledge base")
    return f"{len(entries)} entries; {report.summary()}"


def sync() -> None:
    """Load the bundled seed KB (data/kb/*.yaml) into the database; safe to repeat."""
    from marsad.link.kb import load_kb

    entries = load_kb()
    report = _sync(entries, "syncing")
    console.print(f"kb sync: {len(entries)} entries; {report.summary()}", markup=False)


def import_file(
    path: Annotated[
        Path,
        typer.Argument(
            help="FollowTheMoney JSON lines (.jsonl, .json, .ftm), a KB .csv, the UN Security "
            "Council consolidated list (.xml) or OFAC's SDN list (sdn.csv)."
        ),
    ],
    aliases: Annotated[
        Path | None,
        typer.Option("--aliases", help="OFAC's alt.csv (default: the alt file beside sdn.csv)."),
    ] = None,
    list_date: Annotated[
        str | None,
        typer.Option(
            "--date",
            help="Publication date of an OFAC file (YYYY-MM-DD), when its name does not say.",
        ),
    ] = None,
) -> None:
    """Merge the entities of an FtM JSON-lines file, a CSV file or an official sanctions list
    into the KB, on their ids; list entries carry the list's name and date as designation."""
    # Imported here: followthemoney takes a second to load, which every other command is spared.
    from marsad.link.imports import read_import

    if not path.is_file():
        raise KnowledgeBaseError(f"{path}: no such file")
    if aliases is not None and not aliases.is_file():
        raise KnowledgeBaseError(f"{aliases}: no such file")
    batch = read_import(path, aliases_path=aliases, list_date=list_date)
    report = _sync(batch.entries, "importing")
    console.print(
        f"kb import: {len(batch.entries)} entities read, {batch.skipped} records skipped; "
        f"{report.summary()}",
        markup=False,
    )


def _parse_alias(text: str) -> tuple[str, str]:
    language, colon, name = text.partition(":")
    if not colon or not language.strip() or not name.strip():
        raise KnowledgeBaseError(f"--alias {text!r}: expected LANG:NAME, e.g. ar:حركة النجباء")
    return language.strip(), name.strip()


def new_id(kind: str, name: str) -> str:
    """marsad-<kind prefix>-<slug of the name>, any script transliterated."""
    from normality import slugify

    slug = slugify(name) or "entity"
    return f"marsad-{ID_PREFIXES.get(kind, kind.replace('_', '-'))}-{slug}"[:200]


def add(
    kind: Annotated[str, typer.Argument(help="person, organization, media_outlet, place, ...")],
    name: Annotated[str, typer.Argument(help="The entity's English name.")],
    alias: Annotated[
        list[str] | None,
        typer.Option("--alias", help="Another name as LANG:NAME, e.g. ar:حماس (repeatable)."),
    ] = None,
    entity_id: Annotated[
        str | None, typer.Option("--id", help="FtM-style id; default: marsad-<kind>-<name>.")
    ] = None,
    designation: Annotated[
        list[str] | None,
        typer.Option("--designation", help="List key[@date], e.g. us-fto@1997-10-08."),
    ] = None,
    source: Annotated[
        list[str] | None, typer.Option("--source", help="A citation: key or free text.")
    ] = None,
) -> None:
    """Add an entity, or add aliases, designations and sources to the one with that id."""
    from marsad.link.kb import entry_from_mapping

    aliases: dict[str, list[str]] = defaultdict(list)
    for text in alias or []:
        language, alias_name = _parse_alias(text)
        aliases[language].append(alias_name)
    designations = []
    for text in designation or []:
        key, at, date = text.partition("@")
        designations.append({"list": key, **({"date": date} if at else {})})
    raw: dict[str, Any] = {
        "id": entity_id or new_id(kind, name),
        "kind": kind,
        "name": name,
        "aliases": dict(aliases),
        "designations": designations,
        "sources": list(source or []),
    }
    entry = entry_from_mapping(raw, "marsad kb add", origin="analyst")
    entry.sources.append(f"added by {analyst()}")
    report = _sync([entry], "adding")
    verb = "added" if report.entities_added else "updated"
    console.print(f"{verb} {entry.kind} {entry.name!r} ({entry.id}); {report.summary()}")


def _relations(session: Session, entity: Entity) -> list[str]:
    from sqlalchemy import or_, select

    from marsad.store.models import Relation

    query = select(Relation).where(
        Relation.document_id.is_(None),
        or_(Relation.subject_id == entity.id, Relation.object_id == entity.id),
    )
    lines = []
    for relation in session.scalars(query):
        subject, target = relation.subject, relation.object
        period = _period(subject, relation.predicate, target.id)
        lines.append(f"{subject.name} —{relation.predicate}→ {target.name}{period}")
    return sorted(lines)


def _period(subject: Entity, predicate: str, object_id: str) -> str:
    """The period of a relation as its KB record gives it, e.g. " (2017 – 2024-07-31)"."""
    for record in (subject.properties or {}).get("relations", []):
        if (record.get("predicate"), record.get("object")) == (predicate, object_id):
            start, end = record.get("from"), record.get("to")
            if start or end:
                return f" ({start or '?'} – {end or 'now'})"
    return ""


def _describe(session: Session, entity: Entity) -> None:
    from marsad.link.places import enclosing_places
    from marsad.link.store import PHRASING, VARIANT

    print_line = console.print
    print_line(
        f"[bold]{escape(entity.name)}[/bold]  {escape(entity.kind)}  {escape(entity.id)}",
        markup=True,
    )
    properties = entity.properties or {}
    if entity.description:
        print_line(f"  {entity.description}", markup=False)
    if properties.get("country"):
        print_line(f"  country: {properties['country']}", markup=False)
    if entity.kind == "place":
        within = " › ".join(place.name for place in enclosing_places(session, entity.id))
        place_type = properties.get("place_type", "place")
        print_line(f"  {place_type}{' in ' + within if within else ''}", markup=False)
    by_language: dict[str, list[str]] = defaultdict(list)
    variants = 0
    for alias in entity.aliases:
        if alias.origin == VARIANT:
            variants += 1
        elif alias.name != entity.name and alias.origin != PHRASING:
            by_language[alias.language or "?"].append(alias.name)
    for language in sorted(by_language):
        print_line(f"  {language}: {' · '.join(by_language[language])}", markup=False)
    print_line(f"  ({variants} generated spelling variants)", markup=False)
    by_note: dict[str, list[str]] = defaultdict(list)
    for phrasing in properties.get("phrasings", []):
        by_note[phrasing["note"]].append(phrasing["name"])
    for note, phrasings in by_note.items():
        print_line(f"  phrasings: {' · '.join(phrasings)}", markup=False)
        print_line(f"    ({note})", markup=False)
    for item in entity.designations or []:
        date = f", {item['date']}" if item.get("date") else ""
        print_line(f"  designated: {item['authority']} — {item['list']}{date}", markup=False)
    for line in _relations(session, entity):
        print_line(f"  {line}", markup=False)
    for citation in properties.get("sources", []):
        print_line(f"  source: {citation}", markup=False)


def show(
    name: Annotated[str, typer.Argument(help="An id, or any name or alias, in any script.")],
) -> None:
    """Show the entities a name denotes: aliases, designations, relations and sources."""
    with _store() as store:
        found = store.find(name)
        if not found:
            raise EntityNotFound(
                f"no entity is called {name!r} (load the seed KB with `marsad kb sync`)"
            )
        for entity in found:
            _describe(store.session, entity)
