"""PostgreSQL databases for the worker tests and bench_workers: created from a template that
holds the seed KB (syncing it takes ~10 s; cloning a database, a fraction of a second)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url

from marsad.config import Settings
from marsad.link.kb import load_kb
from marsad.workspace import Workspace
from tests.conftest import POSTGRES_ADMIN_URL, _admin_connection, make_settings
from tests.knowledge import sync_entries


def database_url(name: str) -> str:
    return make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


def create_database(name: str, template: str = "template0") -> None:
    with _admin_connection() as admin:
        admin.execute(f'CREATE DATABASE "{name}" ENCODING \'UTF8\' TEMPLATE "{template}"')


def drop_database(name: str) -> None:
    with _admin_connection() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def create_kb_template(name: str, home: Path) -> None:
    """A database at the current schema holding the seed KB."""
    create_database(name)
    workspace, _, _ = Workspace.initialise(make_settings(home, database_url(name)))
    sync_entries(workspace, load_kb())
    workspace.close()


def home_from_template(name: str, template: str, home: Path) -> Settings:
    """A home on a new database cloned from `template`."""
    create_database(name, template)
    settings = make_settings(home, database_url(name))
    Workspace.initialise(settings)[0].close()  # the folders; the schema is current already
    return settings
