"""`marsad review [list]|confirm|reject`: new names found in the text, waiting for an analyst."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

from marsad.cli.console import console
from marsad.cli.kb import new_id
from marsad.cli.preserve import analyst

if TYPE_CHECKING:
    from marsad.link.review import ReviewQueue

review_app = typer.Typer(
    help="The review queue: person and organisation names not in the knowledge base. "
    "Confirm one to add it to the KB, reject it to stop it being proposed.",
    invoke_without_command=True,
)
KindOption = Annotated[
    str | None, typer.Option("--kind", help="person or organization (default: both).")
]
LimitOption = Annotated[int, typer.Option("--limit", min=1, help="Show at most N names.")]


@contextmanager
def _queue() -> Iterator[ReviewQueue]:
    from marsad.link.aliases import default_variant_generator
    from marsad.link.candidates import default_candidate_finder
    from marsad.link.kb import kb_schema
    from marsad.link.review import ReviewQueue
    from marsad.link.store import KnowledgeBaseStore
    from marsad.text.normalize import default_normalizer
    from marsad.workspace import Workspace

    with Workspace.open() as workspace, workspace.database.session() as session:
        skip = workspace.settings.normalize_skip
        store = KnowledgeBaseStore(
            session, default_normalizer(skip), default_variant_generator(skip), kb_schema()
        )
        yield ReviewQueue(store, default_candidate_finder(skip))


def list_names(kind: KindOption = None, limit: LimitOption = 50) -> None:
    """List the queued names, the most mentioned first: count, kind, languages, an example."""
    from marsad.link.review import check_kind

    with _queue() as queue:
        names = queue.queued(check_kind(kind) if kind else None, limit)
    for name in names:
        languages = ",".join(name.languages) or "?"
        console.print(
            f"{name.count:>5}  {name.kind:<12}  {name.surface}  [{languages}]", markup=False
        )
        console.print(f"       “{name.example}”", markup=False)
    console.print(f"review: {len(names)} names shown", markup=False)


def queue(ctx: typer.Context, kind: KindOption = None, limit: LimitOption = 50) -> None:
    """Without a subcommand: the same as `marsad review list`."""
    if ctx.invoked_subcommand is None:
        list_names(kind, limit)


def confirm(
    surface: Annotated[str, typer.Argument(help="The name as found (any spelling of it).")],
    kind: Annotated[str, typer.Option("--kind", help="person or organization.")],
    name: Annotated[
        str | None, typer.Option("--name", help="The entity's English name (default: SURFACE).")
    ] = None,
    entity_id: Annotated[
        str | None,
        typer.Option("--id", help="FtM-style id; an existing entity gets SURFACE as an alias."),
    ] = None,
) -> None:
    """Add a queued name to the knowledge base; the next link run links it."""
    from marsad.link.review import check_kind

    with _queue() as review:
        created_id, created = review.confirm(
            surface, check_kind(kind), entity_id or new_id(kind, name or surface), name, analyst()
        )
    verb = "added" if created else "added as an alias of"
    console.print(f"confirmed {surface!r}: {verb} {kind} {created_id}", markup=False)


def reject(
    surface: Annotated[str, typer.Argument(help="The name as found.")],
    kind: KindOption = None,
) -> None:
    """Reject a name: it is no longer proposed, on this or later runs."""
    with _queue() as review:
        kinds = review.reject(surface, kind, analyst())
    console.print(f"rejected {surface!r} as {' and '.join(kinds)}", markup=False)
