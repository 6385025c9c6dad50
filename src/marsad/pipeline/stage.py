"""The public stage API. Built-in stages use nothing else, so third-party stages can too.

A stage processes one document inside one unit of work (a database transaction). It must be
idempotent: running it again replaces its own previous output for that document and never
touches the output of other stages.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any, ClassVar, Protocol, runtime_checkable

from sqlalchemy import Delete, bindparam, delete, insert
from sqlalchemy.orm import Session

from marsad.config import Setting, Settings
from marsad.preserve.blobs import BlobStore
from marsad.store.models import Capture, Document


@dataclass
class StageContext:
    """What a stage sees while it processes one document."""

    session: Session
    document: Document
    settings: Settings
    blobs: BlobStore

    @property
    def capture(self) -> Capture:
        return self.document.capture

    def raw_content(self) -> bytes:
        """The captured bytes behind this document, exactly as fetched."""
        return self.blobs.read(self.capture.blob_key)

    def setting(self, setting: Setting) -> Any:
        return self.settings.value_of(setting)


@runtime_checkable
class Stage(Protocol):
    name: ClassVar[str]
    version: ClassVar[str]
    requires: ClassVar[tuple[str, ...]]
    settings: ClassVar[tuple[Setting, ...]]
    description: ClassVar[str]
    # Reads what other documents' runs wrote and joins it (duplicate groups, merged events):
    # the runner lets one document at a time run it on a shared database.
    cross_document: ClassVar[bool]

    def process(self, ctx: StageContext) -> None: ...


class BaseStage:
    """Convenience base: empty defaults and the helper to replace a stage's own rows."""

    name: ClassVar[str]
    version: ClassVar[str] = "1"
    requires: ClassVar[tuple[str, ...]] = ()
    settings: ClassVar[tuple[Setting, ...]] = ()
    description: ClassVar[str] = ""
    cross_document: ClassVar[bool] = False

    def process(self, ctx: StageContext) -> None:
        raise NotImplementedError

    def clear_own_rows(self, ctx: StageContext, model: Any) -> None:
        """Delete this stage's earlier rows of `model` for the document (models with a
        `document_id` and a `stage` column: mentions, relations, event sources)."""
        ctx.session.execute(
            _own_rows_of(model), {"document_id": ctx.document.id, "stage": self.name}
        )

    @staticmethod
    def write_rows(ctx: StageContext, model: Any, rows: Iterable[dict[str, Any]]) -> None:
        """Insert a stage's output rows in one statement. ORM objects added to the session are
        inserted one statement apiece on SQLite (it cannot hand back new ids in the order
        given); rows the stage never reads back as objects need no ids."""
        values = list(rows)
        if values:
            ctx.session.execute(insert(model), values)


@cache
def _own_rows_of(model: Any) -> Delete:
    """Built once per model: assembling a statement costs more than running it."""
    return delete(model).where(
        model.document_id == bindparam("document_id"), model.stage == bindparam("stage")
    )
