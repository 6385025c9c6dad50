"""Alembic migrations, run from code (`marsad init`) or from alembic.ini for developers.

Checking that a database is current (every command that opens a home does) reads the version
table and the newest migration file without loading Alembic, which would cost a command more
than the rest of its start-up; `tests/store/test_migrations.py` checks both against Alembic.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
VERSIONS_DIR = MIGRATIONS_DIR / "versions"
# Migration files are numbered in the order they apply (0001_initial.py, ...), one line each.
MIGRATION_FILE = "[0-9][0-9][0-9][0-9]_*.py"
REVISION_LINE = re.compile(r"""^revision(?::\s*str)?\s*=\s*["']([^"']+)["']""", re.MULTILINE)
VERSION_TABLE = "alembic_version"


def alembic_config(engine: Engine | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def head_revision() -> str:
    """The revision of the newest migration file."""
    newest = max(VERSIONS_DIR.glob(MIGRATION_FILE), default=None)
    match = REVISION_LINE.search(newest.read_text(encoding="utf-8")) if newest else None
    assert match is not None, f"no migration with a revision line in {VERSIONS_DIR}"
    return match.group(1)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at; None for a database without Marsad's tables."""
    with engine.connect() as connection:
        if not inspect(connection).has_table(VERSION_TABLE):
            return None
        revision = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()
        return str(revision) if revision is not None else None


def upgrade_to_head(engine: Engine) -> tuple[str | None, str]:
    """Apply every pending migration; returns (revision before, revision after)."""
    from alembic import command

    before = current_revision(engine)
    command.upgrade(alembic_config(engine), "head")
    return before, head_revision()
