"""The schema comes from Alembic migrations, identical on SQLite and PostgreSQL."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select

from marsad.config import Settings
from marsad.errors import NotInitialised
from marsad.store.db import Database
from marsad.store.migrate import alembic_config, current_revision, head_revision
from marsad.store.models import Base, Capture, Document, Source
from marsad.store.search import is_search_table
from marsad.workspace import Workspace

EXPECTED_TABLES = {
    "sources",
    "captures",
    "documents",
    "translations",
    "entities",
    "aliases",
    "mentions",
    "relations",
    "events",
    "event_actors",
    "event_sources",
    "alert_rules",
    "alert_deliveries",
    "reports",
    "users",
    "audit_log",
    "stage_runs",
    "date_mentions",
}


def test_init_creates_every_table_of_the_design(settings: Settings) -> None:
    workspace, before, after = Workspace.initialise(settings)
    tables = set(inspect(workspace.database.engine).get_table_names())
    assert tables >= EXPECTED_TABLES
    assert before is None and after == head_revision()
    assert settings.blob_dir.is_dir() and settings.warc_dir.is_dir()
    workspace.close()


def test_migrations_match_the_models_exactly(workspace: Workspace) -> None:
    with workspace.database.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "include_name": lambda name, kind, _: (
                    not (kind == "table" and is_search_table(name))
                )
            },
        )
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_init_again_keeps_data_and_changes_nothing(settings: Settings) -> None:
    workspace, _, _ = Workspace.initialise(settings)
    with workspace.database.session() as session:
        source = Source(name="Telegram: example", kind="telegram", locator="t.me/s/example")
        capture = Capture(source=source, url="https://t.me/s/example", sha256="a" * 64)
        session.add(Document(capture=capture, url=capture.url, title="عنوان"))
    workspace.close()
    again, before, after = Workspace.initialise(settings)
    assert before == after == head_revision()
    with again.database.session() as session:
        assert session.scalars(select(Document.title)).all() == ["عنوان"]
    again.close()


def test_upgrading_an_older_home_keeps_its_data(settings: Settings) -> None:
    workspace, _, _ = Workspace.initialise(settings)
    engine = workspace.database.engine
    command.downgrade(alembic_config(engine), "0001")
    assert "date_mentions" not in inspect(engine).get_table_names()
    with workspace.database.session() as session:
        session.add(Source(name="older", kind="web", locator="https://site.example/"))
    upgraded, before, after = Workspace.initialise(settings)
    assert (before, after) == ("0001", head_revision())
    assert "date_mentions" in inspect(upgraded.database.engine).get_table_names()
    with upgraded.database.session() as session:
        assert session.scalars(select(Source.name)).all() == ["older"]
    upgraded.close()
    workspace.close()


def test_upgrade_from_base_after_downgrade(settings: Settings) -> None:
    workspace, _, _ = Workspace.initialise(settings)
    engine = workspace.database.engine
    command.downgrade(alembic_config(engine), "base")
    assert current_revision(engine) is None
    assert "documents" not in inspect(engine).get_table_names()
    Workspace.initialise(settings)[0].close()
    assert current_revision(engine) == head_revision()
    workspace.close()


def test_opening_an_uninitialised_database_asks_for_init(database_url: str) -> None:
    database = Database(database_url)
    with pytest.raises(NotInitialised, match="marsad init"):
        database.require_current_schema()
    database.dispose()


def test_opening_a_missing_sqlite_home_does_not_create_it(tmp_path: Path) -> None:
    settings = Settings.from_env({"MARSAD_HOME": str(tmp_path / "absent")})
    with pytest.raises(NotInitialised, match="marsad init"):
        Workspace.open(settings)
    assert not (tmp_path / "absent").exists()


def test_timestamps_come_back_as_utc(workspace: Workspace) -> None:
    moment = datetime(2020, 1, 14, 9, 30, tzinfo=UTC)
    with workspace.database.session() as session:
        session.add(Capture(url="https://example.org/", fetched_at=moment))
    with workspace.database.session() as session:
        fetched = session.scalars(select(Capture.fetched_at)).one()
    assert fetched == moment and fetched.tzinfo is not None


def test_the_schema_check_reads_what_alembic_reads(settings: Settings) -> None:
    """Commands check the schema without loading Alembic: the newest file's revision is
    Alembic's head, and the version table says what Alembic's context says, at head and at
    an older revision."""
    from alembic.script import ScriptDirectory

    assert head_revision() == ScriptDirectory.from_config(alembic_config()).get_current_head()
    workspace, _, _ = Workspace.initialise(settings)
    engine = workspace.database.engine

    def alembic_says() -> str | None:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    assert current_revision(engine) == alembic_says() == head_revision()
    command.downgrade(alembic_config(engine), "0001")
    assert current_revision(engine) == alembic_says() == "0001"
    workspace.close()
