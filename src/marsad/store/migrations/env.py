"""Alembic environment: uses the engine handed over by marsad.store.migrate, or
MARSAD_DATABASE_URL when run as `alembic upgrade head` from the project root."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from marsad.store.models import Base
from marsad.store.search import is_search_table

target_metadata = Base.metadata


def _engine() -> Engine:
    engine = context.config.attributes.get("engine")
    if engine is not None:
        return engine  # type: ignore[no-any-return]
    from marsad.config import Settings
    from marsad.store.db import create_database_engine

    return create_database_engine(Settings.from_env().database_url)


def run_migrations_online() -> None:
    engine = _engine()
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            # SQLite cannot ALTER most things; batch mode rebuilds tables instead.
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            # The search index is backend-specific DDL, not a model (store/search/index.py).
            include_name=lambda name, kind, _parent: (
                not (kind == "table" and is_search_table(name))
            ),
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations_online()
