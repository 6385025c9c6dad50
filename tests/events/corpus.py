"""A small knowledge base and a few news texts for the `events` stage tests."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from marsad.pipeline.ingest import Ingestor
from marsad.store.models import Document
from marsad.workspace import Workspace
from tests.knowledge import sync_kb_yaml

KB = """
kind: organization
entities:
  - id: test-org-hezbollah
    name: Hezbollah
    aliases: {en: [Hezbollah], ar: [حزب الله]}
    sources: ["synthetic test entry"]
  - id: test-org-hamas
    name: Hamas
    aliases: {en: [Hamas], ar: [حماس]}
    sources: ["synthetic test entry"]
  - id: test-person-qassem
    kind: person
    name: Naim Qassem
    aliases: {en: [Naim Qassem], ar: [نعيم قاسم]}
    sources: ["synthetic test entry"]
    relations: [{predicate: secretary_general_of, object: test-org-hezbollah}]
  - id: test-place-beirut
    kind: place
    name: Beirut
    place_type: city
    aliases: {en: [Beirut], ar: [بيروت]}
    sources: ["synthetic test entry"]
"""
ENGLISH = (
    "Beirut, 6 March 2024\n"
    "Hezbollah met Hamas in Beirut on 4 March 2024.\n"
    "Naim Qassem opened a new office in Beirut on 3 March 2024.\n"
    "Hamas threatened to strike US forces if the shelling continued.\n"
)
ARABIC = "بيروت، 6 آذار 2024\nالتقى حزب الله حماس في بيروت يوم 4 آذار 2024.\n"


def load_kb(workspace: Workspace, folder: Path) -> None:
    sync_kb_yaml(workspace, KB, folder)


def ingest_text(
    workspace: Workspace,
    folder: Path,
    name: str,
    text: str,
    language: str,
    source: str = "test wire",
) -> int:
    page = folder / name
    page.write_text(text, encoding="utf-8")
    summary = Ingestor(workspace).ingest([str(page)], language=language, source_name=source)
    assert summary.pipeline.failures == []
    with workspace.database.session() as session:
        return session.scalars(select(Document.id).where(Document.url == page.as_uri())).one()
