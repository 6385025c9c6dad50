"""`marsad stories`: every copy of a text, who carried it first and how it spread."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.table import Table

from marsad.cli.console import console
from marsad.errors import ConfigError


def _day(text: str | None) -> str | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise ConfigError(f"--since expects a day as YYYY-MM-DD, not {text!r}") from None


def stories(
    entity: Annotated[
        str | None,
        typer.Option("--entity", help="Only stories whose copies mention this entity (any alias)."),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since", help="Only stories with a copy published or seen since YYYY-MM-DD."
        ),
    ] = None,
    min_size: Annotated[
        int, typer.Option("--min-size", min=2, help="Fewest copies a story must have.")
    ] = 2,
) -> None:
    """Stories (groups of copies of one text): first appearance, sources in order, edges."""
    from marsad.cluster.stories import load_stories
    from marsad.workspace import Workspace

    table = Table("story", "copies", "languages", "first appeared", "first source", "then")
    count = 0
    with Workspace.open() as workspace, workspace.database.session() as session:
        for story in load_stories(session, _day(since), entity, min_size):
            count += 1
            first = story.first
            later = story.sources_in_order[1:]
            then = ", ".join(later[:4]) + (f" +{len(later) - 4}" if len(later) > 4 else "")
            table.add_row(
                str(story.id),
                str(len(story.members)),
                ",".join(story.languages),
                first.published or first.appeared_by.date().isoformat(),
                story.sources_in_order[0],
                then or "—",
            )
    if not count:
        console.print("no story matches (copies are grouped by the neardup stage)")
        return
    console.print(table)
    console.print(f"{count} stories; `marsad export stories` gives members and edges")
