"""Counting the SQL a block of code sends: each statement costs a page or a stage more in
building and round trips than the rows it returns, so tests pin how few there are."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session


@contextmanager
def statements_run(session: Session) -> Iterator[list[str]]:
    """The SQL statements sent to the database inside the block."""
    engine = session.get_bind()
    assert isinstance(engine, Engine)
    sent: list[str] = []

    def record(_connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)
