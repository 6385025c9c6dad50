"""A Marsad home opened for work: settings, database, blob store and stage registry together.

The CLI, the web app and the workers all start from here, so they see the same things.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from marsad.config import Settings
from marsad.pipeline.registry import StageRegistry
from marsad.preserve.blobs import BlobStore
from marsad.preserve.seal import CustodySeal
from marsad.store.db import Database

# Capturing, WARC writing, migrations and the runner load when a command uses them: a command
# that only reads the database (`marsad status`) starts without them.
if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from marsad.pipeline.runner import InlineRunner
    from marsad.preserve.captures import CaptureRecorder
    from marsad.preserve.timestamps import TimestampFolder
    from marsad.preserve.warc import WarcWriter


class Workspace:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.database = Database(settings.database_url)
        self.blobs = BlobStore(settings.blob_dir)

    @classmethod
    def open(cls, settings: Settings | None = None) -> Workspace:
        """Open an initialised home; raises NotInitialised if `marsad init` is due."""
        workspace = cls(settings or Settings.from_env())
        workspace.database.require_current_schema()
        return workspace

    @classmethod
    def initialise(cls, settings: Settings | None = None) -> tuple[Workspace, str | None, str]:
        """Create the home folders and bring the database to the current schema."""
        from marsad.store.migrate import upgrade_to_head

        settings = settings or Settings.from_env()
        for folder in (settings.home, settings.blob_dir, settings.warc_dir):
            folder.mkdir(parents=True, exist_ok=True)
        workspace = cls(settings)
        before, after = upgrade_to_head(workspace.database.engine)
        workspace.custody_seal.key()  # made now, not in the middle of the first capture
        return workspace, before, after

    @cached_property
    def registry(self) -> StageRegistry:
        return StageRegistry.from_entry_points()

    @cached_property
    def warcs(self) -> WarcWriter:
        from marsad.preserve.warc import WarcWriter

        settings = self.settings
        return WarcWriter(settings.warc_dir, settings.warc_max_bytes, settings.user_agent)

    @cached_property
    def custody_seal(self) -> CustodySeal:
        """The custody key and checkpoint files that anchor the custody log."""
        return CustodySeal.for_settings(self.settings)

    @cached_property
    def custody_timestamps(self) -> TimestampFolder:
        """The trusted timestamps (RFC 3161) of the custody chain kept for this home."""
        from marsad.preserve.timestamps import TimestampFolder

        return TimestampFolder.for_settings(self.settings, self.custody_seal)

    def capture_recorder(self, session: Session, actor: str = "collector") -> CaptureRecorder:
        """A recorder that keeps blob, WARC record and custody entry for every capture."""
        from marsad.media.capture import MediaHasher
        from marsad.media.settings import PDQ_MAX_DISTANCE, VIDEO_MAX_KEYFRAMES
        from marsad.preserve.captures import CaptureRecorder

        media = MediaHasher(
            self.settings.value_of(PDQ_MAX_DISTANCE), self.settings.value_of(VIDEO_MAX_KEYFRAMES)
        )
        return CaptureRecorder(session, self.blobs, self.warcs, actor, self.custody_seal, media)

    def runner(self) -> InlineRunner:
        from marsad.pipeline.runner import InlineRunner

        return InlineRunner(self.database, self.settings, self.blobs, self.registry)

    def close(self) -> None:
        self.database.dispose()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
