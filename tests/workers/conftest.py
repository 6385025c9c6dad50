"""Fixtures of the worker tests: PostgreSQL homes cloned from one with the seed KB loaded, a
private Redis, and corpora of distinct pages built from the demo pages."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from marsad.config import Settings
from marsad.datafiles import DEMO_DIR
from marsad.link.aliases import default_variant_generator
from marsad.link.kb import load_kb
from marsad.link.store import KnowledgeBaseStore
from marsad.text.normalize import default_normalizer
from marsad.workspace import Workspace
from tests.conftest import POSTGRES_ADMIN_URL, _admin_connection, _postgres_or_skip, make_settings
from tests.workers.processes import RedisServer, private_redis

pytestmark = pytest.mark.postgres


def _database_url(name: str) -> str:
    return make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="package")
def kb_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database at the current schema with the seed KB, to clone (syncing takes ~10 s)."""
    _postgres_or_skip()
    name = f"marsad_tpl_{uuid.uuid4().hex[:12]}"
    with _admin_connection() as admin:
        admin.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
    try:
        settings = make_settings(tmp_path_factory.mktemp("template"), _database_url(name))
        workspace, _, _ = Workspace.initialise(settings)
        with workspace.database.session() as session:
            store = KnowledgeBaseStore(session, default_normalizer(), default_variant_generator())
            store.sync(load_kb())
        workspace.close()
        yield name
    finally:
        with _admin_connection() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_settings(tmp_path: Path, kb_template: str) -> Iterator[Settings]:
    """A home on a fresh PostgreSQL database holding the seed KB."""
    name = f"marsad_test_{uuid.uuid4().hex[:12]}"
    with _admin_connection() as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{kb_template}"')
    settings = make_settings(tmp_path / "home", _database_url(name))
    Workspace.initialise(settings)[0].close()  # folders; the schema is current already
    try:
        yield settings
    finally:
        with _admin_connection() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    folder = tmp_path / "redis"
    folder.mkdir()
    with private_redis(folder) as server:
        yield server


@dataclass(frozen=True)
class Corpus:
    folder: Path
    pages: list[Path]


def distinct_pages(folder: Path, copies: int) -> Corpus:
    """`copies` rounds of the 30 demo pages, each page's bytes made unique by a comment (new
    captures, new documents) while its text, and so the stages' work, stays realistic."""
    folder.mkdir(parents=True, exist_ok=True)
    pages = []
    for round_number in range(copies):
        for page in sorted(DEMO_DIR.glob("*.html")):
            target = folder / f"{page.stem}-{round_number}.html"
            target.write_bytes(page.read_bytes() + f"\n<!-- copy {round_number} -->\n".encode())
            pages.append(target)
    return Corpus(folder, pages)
