"""Knowledge bases for tests: entries, or a KB file's YAML the test writes, synced into a
workspace exactly as `marsad kb sync` does."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from marsad.link.aliases import default_variant_generator
from marsad.link.kb import KBEntry, read_kb_file
from marsad.link.store import KnowledgeBaseStore
from marsad.text.normalize import default_normalizer
from marsad.workspace import Workspace


def sync_entries(workspace: Workspace, entries: Sequence[KBEntry]) -> None:
    with workspace.database.session() as session:
        KnowledgeBaseStore(session, default_normalizer(), default_variant_generator()).sync(entries)


def sync_kb_yaml(workspace: Workspace, kb_yaml: str, folder: Path) -> None:
    """Write `kb_yaml` as a KB file under `folder` and sync it."""
    kb_file = folder / "kb.yaml"
    kb_file.write_text(kb_yaml, encoding="utf-8")
    sync_entries(workspace, read_kb_file(kb_file))
