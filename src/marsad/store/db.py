"""The database handle: engine, sessions (units of work) and schema checks."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from marsad.errors import DatabaseUnavailable, NotInitialised
from marsad.interrupts import shielded

SQLITE_POOL_SIZE = 8
SQLITE_POOL_OVERFLOW = 32
SQLITE_MMAP_BYTES = 1 << 30


def _enable_sqlite_integrity(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers (status, export, web) work while the pipeline writes.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    # Pages read through a shared memory map instead of a read() into each connection's own
    # small cache: the web server's many connections (and processes) share one copy, and a
    # search's facets over 2,000 documents take half the time.
    cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
    cursor.close()


def create_database_engine(database_url: str) -> Engine:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        # One connection per thread of the web server's threadpool (anyio's 40): readers under
        # WAL do not block each other, so a smaller pool would only queue them.
        engine = create_engine(
            url,
            connect_args={"timeout": 30},
            pool_size=SQLITE_POOL_SIZE,
            max_overflow=SQLITE_POOL_OVERFLOW,
        )
        event.listen(engine, "connect", _enable_sqlite_integrity)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


# Keys that processes of earlier releases take under these names: kept, so that during a
# rolling upgrade old and new processes still exclude each other.
PINNED_LOCK_KEYS = {"custody log": 0x6D61727361640001}


def hold_lock(session: Session, name: str) -> bool:
    """Until the session's transaction ends, be the only one holding the lock `name`; returns
    whether a lock was taken (and so whether another holder may have changed rows meanwhile).

    On PostgreSQL a transaction-scoped advisory lock: concurrent writers (worker processes)
    queue behind it, and every statement after it sees what the previous holder committed.
    On SQLite, nothing: the embedded default runs one pipeline process."""
    if session.get_bind().dialect.name != "postgresql":
        return False
    key = PINNED_LOCK_KEYS.get(name)
    if key is None:
        key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
    return True


class Database:
    def __init__(self, database_url: str) -> None:
        self.url = database_url
        self.engine = create_database_engine(database_url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back if it raises."""
        session = self.begin_session()
        try:
            yield session
        except BaseException:
            self.end_session(session, commit=False)
            raise
        self.end_session(session, commit=True)

    def begin_session(self) -> Session:
        """A unit of work's session, for a caller that ends it with `end_session` elsewhere
        (the web app: opened on the event loop, ended in a worker thread). Nothing is read or
        locked yet: the session connects on its first statement."""
        return self._sessions()

    def end_session(self, session: Session, *, commit: bool) -> None:
        """Commit (rolled back if the commit fails) or roll back; closed either way."""
        try:
            with shielded():
                if commit:
                    session.commit()
                else:
                    session.rollback()
        except BaseException:
            with shielded():
                session.rollback()
            raise
        finally:
            with shielded():
                session.close()

    def require_current_schema(self) -> None:
        from marsad.store.migrate import current_revision, head_revision

        url = self.engine.url
        on_disk = url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:")
        if on_disk and not Path(str(url.database)).exists():
            raise NotInitialised(f"no database at {url.database}: run `marsad init` first")
        try:
            current = current_revision(self.engine)
        except OperationalError as exc:
            raise DatabaseUnavailable(
                f"cannot connect to {url.render_as_string(hide_password=True)}: {exc.orig}"
            ) from None
        if current is None:
            raise NotInitialised("the database is empty: run `marsad init` first")
        if current != head_revision():
            raise NotInitialised(
                f"the database schema is at {current}, the code expects {head_revision()}: "
                "run `marsad init` to upgrade it"
            )

    def dispose(self) -> None:
        self.engine.dispose()
