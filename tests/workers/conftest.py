"""Fixtures of the worker tests: PostgreSQL homes cloned from one with the seed KB loaded, a
private Redis, and corpora of distinct pages built from the demo pages."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from marsad.config import Settings
from marsad.datafiles import DEMO_DIR
from tests.conftest import _postgres_or_skip
from tests.workers.databases import create_kb_template, drop_database, home_from_template
from tests.workers.processes import RedisServer, private_redis

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="package")
def kb_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database with the seed KB, for each test to clone."""
    _postgres_or_skip()
    name = f"marsad_tpl_{uuid.uuid4().hex[:12]}"
    try:
        create_kb_template(name, tmp_path_factory.mktemp("template"))
        yield name
    finally:
        drop_database(name)


@pytest.fixture
def pg_settings(tmp_path: Path, kb_template: str) -> Iterator[Settings]:
    """A home on a fresh PostgreSQL database holding the seed KB."""
    name = f"marsad_test_{uuid.uuid4().hex[:12]}"
    try:
        yield home_from_template(name, kb_template, tmp_path / "home")
    finally:
        drop_database(name)


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
