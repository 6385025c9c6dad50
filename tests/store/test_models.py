"""Model behaviour that must hold on both backends."""

import shutil
import subprocess

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from marsad.store.models import Alias, Capture, Document, Entity
from marsad.workspace import Workspace


def test_arabic_and_hebrew_json_round_trip(workspace: Workspace) -> None:
    designations = [{"authority": "US State Department", "list": "FTO", "date": "2019-12-30"}]
    with workspace.database.session() as session:
        entity = Entity(
            id="marsad-org-nujaba",
            kind="organization",
            name="Harakat Hezbollah al-Nujaba",
            designations=designations,
            properties={"alias_note": "حركة النجباء / חרכת אל-נוג'באא"},
        )
        entity.aliases.append(Alias(name="حركة النجباء", normalized="حركه النجباء", language="ar"))
        session.add(entity)
    with workspace.database.session() as session:
        stored = session.get(Entity, "marsad-org-nujaba")
        assert stored is not None
        assert stored.designations == designations
        assert stored.properties["alias_note"] == "حركة النجباء / חרכת אל-נוג'באא"
        assert [alias.name for alias in stored.aliases] == ["حركة النجباء"]


def test_one_document_per_capture_part(workspace: Workspace) -> None:
    with workspace.database.session() as session:
        capture = Capture(url="https://t.me/s/example", sha256="b" * 64)
        session.add_all(
            [
                Document(capture=capture, url=capture.url, part="post-1"),
                Document(capture=capture, url=capture.url, part="post-2"),
            ]
        )
    with pytest.raises(IntegrityError), workspace.database.session() as session:
        capture = session.scalars(select(Capture)).one()
        session.add(Document(capture=capture, url=capture.url, part="post-1"))


def test_sqlite_home_is_readable_with_the_standard_sqlite_shell(
    sqlite_workspace: Workspace,
) -> None:
    """Operators inspect a home with ordinary tools; the database must stay a plain SQLite file."""
    sqlite3 = shutil.which("sqlite3")
    assert sqlite3, "the sqlite3 shell is installed by `make test` (scripts/debian-packages.txt)"
    with sqlite_workspace.database.session() as session:
        session.add(Capture(url="https://example.org/بيان", sha256="c" * 64))
    path = sqlite_workspace.database.engine.url.database
    output = subprocess.run(
        [sqlite3, "-readonly", str(path), "SELECT url FROM captures"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert output.strip() == "https://example.org/بيان"
