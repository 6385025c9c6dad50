"""The custody log: one hash-chained entry per recorded capture; edits and deletions show."""

import threading

from sqlalchemy import select, text

from marsad.collect.content import RawContent
from marsad.errors import CaptureNotFound
from marsad.preserve.custody import GENESIS_HASH, CustodyLog, hash_entry
from marsad.store.db import Database
from marsad.store.migrate import upgrade_to_head
from marsad.store.models import CustodyEntry
from marsad.workspace import Workspace

PAGE = "<p>بیانیه‌ای درباره‌ی نشست امروز منتشر شد.</p>".encode()


def entries(workspace: Workspace) -> list[CustodyEntry]:
    with workspace.database.session() as session:
        found = list(session.scalars(select(CustodyEntry).order_by(CustodyEntry.seq)))
        session.expunge_all()
        return found


def record_three(workspace: Workspace) -> None:
    with workspace.database.session() as session:
        recorder = workspace.capture_recorder(session)
        recorder.record(RawContent(url="https://news.example/1", data=PAGE), None)
        recorder.record(RawContent(url="https://news.example/1", data=PAGE), None)  # unchanged
        recorder.record(RawContent(url="https://news.example/2", data=PAGE + b"!"), None)
        recorder.record_failure("file:///gone.html", CaptureNotFound("no such file"), None)


def walk(workspace: Workspace) -> list[tuple[int, str]]:
    with workspace.database.session() as session:
        return [(problem.seq, problem.kind) for problem in CustodyLog(session).walk()]


def test_every_recorded_capture_gets_one_chained_entry(workspace: Workspace) -> None:
    record_three(workspace)
    log = entries(workspace)
    assert [(e.seq, e.action, e.actor) for e in log] == [
        (1, "captured", "collector"),
        (2, "captured", "collector"),
        (3, "capture_failed", "collector"),
    ]
    assert log[0].prev_hash == GENESIS_HASH
    assert [e.prev_hash for e in log[1:]] == [e.entry_hash for e in log[:-1]]
    assert all(hash_entry(e) == e.entry_hash for e in log)  # survives the database round trip
    assert log[0].sha256 is not None and log[2].sha256 is None
    assert log[2].details == {"url": "file:///gone.html", "error": "CaptureNotFound: no such file"}
    assert walk(workspace) == []


def test_an_updated_entry_is_reported_as_altered(workspace: Workspace) -> None:
    record_three(workspace)
    with workspace.database.session() as session:
        session.execute(text("UPDATE custody_log SET actor = 'someone-else' WHERE seq = 2"))
    assert walk(workspace) == [(2, "altered")]


def test_a_deleted_entry_breaks_the_chain(workspace: Workspace) -> None:
    record_three(workspace)
    with workspace.database.session() as session:
        session.execute(text("DELETE FROM custody_log WHERE seq = 2"))
    assert walk(workspace) == [(3, "broken")]


def test_a_rehashed_forgery_still_breaks_the_chain(workspace: Workspace) -> None:
    """Editing an entry and fixing its own hash does not help: the next entry points back."""
    record_three(workspace)
    with workspace.database.session() as session:
        entry = session.get(CustodyEntry, 1)
        assert entry is not None
        entry.details = {**entry.details, "url": "https://elsewhere.example/"}
        entry.entry_hash = hash_entry(entry)
    assert walk(workspace) == [(2, "broken")]


def test_concurrent_appenders_on_postgresql_keep_one_chain(postgres_url: str) -> None:
    database = Database(postgres_url)
    upgrade_to_head(database.engine)
    errors: list[BaseException] = []

    def append_many(actor: str) -> None:
        try:
            for n in range(15):
                with database.session() as session:
                    CustodyLog(session).append("verified", actor, details={"n": n})
        except BaseException as error:  # reported below, not lost in the thread
            errors.append(error)

    threads = [threading.Thread(target=append_many, args=(f"analyst:{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with database.session() as session:
        log = CustodyLog(session)
        assert [e.seq for e in log.entries()] == list(range(1, 61))
        assert list(log.walk()) == []
    database.dispose()
