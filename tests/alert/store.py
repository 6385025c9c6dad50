"""Rows for alert tests, written straight into the store as the stages would write them."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from marsad.store.models import (
    AlertRule,
    Capture,
    Document,
    Entity,
    Event,
    EventSource,
    Mention,
    Relation,
    Source,
)

WEBHOOK_CONFIG = {"url": "http://127.0.0.1:9/hook", "secret": "s3cret"}


def source_named(session: Session, name: str) -> Source:
    source = session.scalars(select(Source).where(Source.name == name)).first()
    if source is None:
        source = Source(name=name, kind="telegram", locator=f"t.me/s/{name}")
        session.add(source)
        session.flush()
    return source


def add_document(
    session: Session,
    text: str,
    *,
    language: str = "ar",
    source: str = "example_channel",
    title: str | None = None,
    cluster_id: int | None = None,
    seen: datetime | None = None,
) -> Document:
    url = f"https://t.me/example/{hashlib.sha256(text.encode()).hexdigest()[:8]}"
    capture = Capture(
        source=source_named(session, source), url=url, http_status=200,
        sha256=hashlib.sha256(text.encode()).hexdigest(), size=len(text.encode()),
        fetched_at=seen or datetime(2026, 3, 1, tzinfo=UTC),
    )  # fmt: skip
    document = Document(
        capture=capture, url=url, title=title, text=text, language=language,
        cluster_id=cluster_id, first_seen_at=seen or datetime(2026, 3, 1, tzinfo=UTC),
    )  # fmt: skip
    session.add(document)
    session.flush()
    return document


def add_entity(session: Session, entity_id: str, kind: str, name: str) -> Entity:
    entity = Entity(id=entity_id, kind=kind, name=name)
    session.add(entity)
    session.flush()
    return entity


def relate(session: Session, subject: str, predicate: str, obj: str) -> None:
    session.add(Relation(subject_id=subject, predicate=predicate, object_id=obj))
    session.flush()


def mention(session: Session, document: Document, entity_id: str, surface: str) -> None:
    start = (document.text or "").index(surface)
    session.add(
        Mention(document_id=document.id, entity_id=entity_id, stage="link", surface=surface,
                start=start, end=start + len(surface), method="alias")
    )  # fmt: skip
    session.flush()


def add_event(
    session: Session, document: Document, event_type: str, severity: str | None = None
) -> Event:
    event = Event(type=event_type, severity=severity, summary=f"{event_type} in document")
    event.sources.append(EventSource(document_id=document.id, stage="events", start=0, end=10))
    session.add(event)
    session.flush()
    return event


def add_rule(
    session: Session,
    conditions: dict[str, Any],
    *,
    name: str = "watch",
    channel: str = "webhook",
    config: dict[str, Any] | None = None,
    delivery: str = "immediate",
) -> AlertRule:
    rule = AlertRule(
        name=name, conditions=conditions, channel=channel,
        channel_config=config or WEBHOOK_CONFIG, delivery=delivery,
    )  # fmt: skip
    session.add(rule)
    session.flush()
    return rule
