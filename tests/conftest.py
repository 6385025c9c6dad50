"""Shared fixtures: a Marsad home on SQLite and on the real PostgreSQL, and a local web server.

PostgreSQL tests create their own database and drop it afterwards. Without a server they skip
on a laptop, but fail under CI=true: CI must exercise the real thing.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from marsad.config import Settings
from marsad.workspace import Workspace

POSTGRES_ADMIN_URL = os.environ.get(
    "MARSAD_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _admin_connection() -> psycopg.Connection:
    url = make_url(POSTGRES_ADMIN_URL)
    return psycopg.connect(
        host=url.host,
        port=url.port or 5432,
        user=url.username,
        dbname=url.database,
        password=url.password,
        autocommit=True,
        connect_timeout=5,
    )


def _postgres_or_skip() -> None:
    try:
        _admin_connection().close()
    except psycopg.OperationalError as exc:
        message = f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL}: {exc}"
        if IN_CI:
            pytest.fail(message + " (required when CI=true)")
        pytest.skip(message)


@contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database, dropped when the block ends."""
    _postgres_or_skip()
    name = f"marsad_test_{uuid.uuid4().hex[:12]}"
    with _admin_connection() as admin:
        admin.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
    try:
        yield make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with _admin_connection() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test; dropped afterwards."""
    with fresh_postgres_database() as url:
        yield url


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
"""The two databases a store test runs on: the params of every backend fixture."""


@contextmanager
def database_for(backend: str, folder: Path) -> Iterator[str]:
    """The URL of an empty database: a SQLite file in folder, or a fresh PostgreSQL database."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'marsad.db'}"
        return
    with fresh_postgres_database() as url:
        yield url


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Each test using this runs twice: on SQLite and on the real PostgreSQL."""
    with database_for(request.param, tmp_path) as url:
        yield url


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The backend of a module's shared home: module fixtures asking for it are built once on
    SQLite and once on PostgreSQL, and every test using them runs on both."""
    return str(request.param)


def make_settings(home: Path, database_url: str, **overrides: str) -> Settings:
    env = {
        "MARSAD_HOME": str(home),
        "MARSAD_DATABASE_URL": database_url,
        "MARSAD_FETCH_ALLOW_LOOPBACK": "1",
        "MARSAD_FETCH_TIMEOUT": "5",
        # Politeness waits would only slow the tests down; tests that check them set their own.
        "MARSAD_FETCH_HOST_INTERVAL": "0",
        "MARSAD_FETCH_RETRY_BACKOFF": "0.01",
        **{f"MARSAD_{key.upper()}": value for key, value in overrides.items()},
    }
    return Settings.from_env(env)


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return make_settings(tmp_path / "home", database_url)


@pytest.fixture
def workspace(settings: Settings) -> Iterator[Workspace]:
    workspace, _before, _after = Workspace.initialise(settings)
    yield workspace
    workspace.close()


@contextmanager
def workspace_for(backend: str, folder: Path, **overrides: str) -> Iterator[Workspace]:
    """An initialised home in folder on backend, closed (and its PostgreSQL database dropped)
    when the block ends; for module-scoped fixtures that build a home once."""
    with database_for(backend, folder) as url:
        settings = make_settings(folder / "home", url, **overrides)
        workspace, _before, _after = Workspace.initialise(settings)
        try:
            yield workspace
        finally:
            workspace.close()


@pytest.fixture
def sqlite_workspace(tmp_path: Path) -> Iterator[Workspace]:
    """For tests about SQLite itself (its file, its shell); store tests use `workspace`."""
    settings = make_settings(tmp_path / "home", f"sqlite:///{tmp_path / 'marsad.db'}")
    workspace, _before, _after = Workspace.initialise(settings)
    yield workspace
    workspace.close()
