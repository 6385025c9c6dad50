"""The distributed workers' bookkeeping: deliveries of each task, and tasks given up on."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from marsad.store.models.base import Base, JSONType, utcnow


class TaskAttempt(Base):
    """How often a task (by idempotency key, e.g. "document:42") was started and not finished.

    Counted in its own transaction before the work begins, so a worker killed mid-task (an
    out-of-memory poison document) still leaves the count behind for the next delivery.
    """

    __tablename__ = "task_attempts"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    task: Mapped[str] = mapped_column(String(120))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_started_at: Mapped[datetime] = mapped_column(default=utcnow)


class DeadLetter(Base):
    """A task given up on: retries exhausted, a permanent error, or too many deliveries."""

    __tablename__ = "dead_letters"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), index=True)
    task: Mapped[str] = mapped_column(String(120))
    arguments: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    error: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    resolved_at: Mapped[datetime | None]
