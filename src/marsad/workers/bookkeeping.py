"""Deliveries counted per task key, and dead letters: what makes redelivery safe to reason about.

Idempotency itself comes from the stages (each replaces its own output) and the runner (a
stage already run at its version is not run again), so a task delivered twice does its work
once. What the broker cannot tell is a task that kills its worker every time; counting
deliveries before the work starts catches it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from marsad.store.db import Database
from marsad.store.models import DeadLetter, TaskAttempt, utcnow


def count_delivery(database: Database, key: str, task: str) -> int:
    """Record that `task` starts on `key` (committed at once); how many times it has now."""
    insert = postgresql_insert if database.backend == "postgresql" else sqlite_insert
    now = utcnow()
    statement = (
        insert(TaskAttempt)
        .values(key=key, task=task, attempts=1, last_started_at=now)
        .on_conflict_do_update(
            index_elements=[TaskAttempt.key],
            set_={"attempts": TaskAttempt.attempts + 1, "last_started_at": now},
        )
        .returning(TaskAttempt.attempts)
    )
    with database.session() as session:
        return int(session.execute(statement).scalar_one())


def forget_deliveries(database: Database, key: str) -> None:
    """The task finished (or will be retried on purpose): its deliveries no longer count."""
    with database.session() as session:
        session.execute(delete(TaskAttempt).where(TaskAttempt.key == key))


def record_dead_letter(
    database: Database, key: str, task: str, arguments: dict[str, Any], error: str, attempts: int
) -> None:
    with database.session() as session:
        session.add(
            DeadLetter(key=key, task=task, arguments=arguments, error=error, attempts=attempts)
        )
        session.execute(delete(TaskAttempt).where(TaskAttempt.key == key))


def open_dead_letters(session: Session) -> list[DeadLetter]:
    query = select(DeadLetter).where(DeadLetter.resolved_at.is_(None)).order_by(DeadLetter.id)
    return list(session.scalars(query))


def resolve_dead_letters(session: Session, letters: list[DeadLetter]) -> None:
    now = utcnow()
    for letter in letters:
        letter.resolved_at = now
