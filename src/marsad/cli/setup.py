"""`marsad init`: create the home and bring the database schema up to date."""

from __future__ import annotations

from marsad.cli.console import console, safe_url
from marsad.cli.kb import load_bundled_if_empty


def init() -> None:
    """Create MARSAD_HOME (database, blobs, WARCs), apply database migrations and, on a first
    run, load the bundled knowledge base (`marsad kb sync` updates it later)."""
    from marsad.workspace import Workspace

    workspace, before, after = Workspace.initialise()
    workspace.close()
    settings = workspace.settings
    console.print(f"home      {settings.home}")
    console.print(f"database  {safe_url(settings.database_url)}")
    if before == after:
        console.print(f"schema    already current ({after})")
    else:
        console.print(f"schema    {before or 'empty'} → {after}")
    loaded = load_bundled_if_empty()
    console.print(
        f"kb        {loaded}"
        if loaded
        else "kb        already loaded (`marsad kb sync` updates it)",
        markup=False,
    )
