"""A small synthetic workspace for the web tests: a KB of three entities, four news-style
pages (Arabic, Farsi, English, and one carrying a stored-XSS payload as its text), an event,
a translation and one account per role. Built once per test module."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from marsad.pipeline.ingest import Ingestor
from marsad.store.models import Document, Event, EventActor, EventSource, Translation
from marsad.web.accounts import create_user
from marsad.workspace import Workspace
from tests.conftest import workspace_for
from tests.knowledge import sync_kb_yaml

KB = """
kind: organization
entities:
  - id: test-org-nujaba
    name: Harakat Hezbollah al-Nujaba
    aliases: {en: ["Nujaba Movement"], ar: ["حركة النجباء", "النجباء"], fa: ["جنبش نجباء"]}
    sources: ["synthetic test entry"]
  - id: test-person-kaabi
    kind: person
    name: Akram al-Kaabi
    aliases: {ar: ["أكرم الكعبي"], fa: ["اکرم کعبی"], en: ["Akram al-Kaabi"]}
    sources: ["synthetic test entry"]
  - id: test-place-baghdad
    kind: place
    name: Baghdad
    aliases: {ar: ["بغداد"], en: ["Baghdad"], fa: ["بغداد"]}
    sources: ["synthetic test entry"]
"""
XSS = '<script>document.title="pwned"</script><img src=x onerror="document.title=\'pwned\'">'
PAGES = {
    "ar-meeting.html": (
        "لقاء في بغداد",
        "قال الأمين العام لحركة النجباء أكرم الكعبي يوم الاثنين في بغداد إن اللجنة المشتركة "
        "ستجتمع الأسبوع المقبل لبحث ملفات الخدمات في المحافظة.\n"
        "وأضاف أن الاجتماع سيكون مفتوحا لممثلي الأهالي، فيما التقى القيادي سالم الزيدي "
        "بوفد من وجهاء المنطقة لمناقشة مشاريع المياه.",
    ),
    "fa-meeting.html": (
        "دیدار در بغداد",
        "اکرم کعبی دبیرکل جنبش نجباء روز دوشنبه در بغداد گفت کمیته مشترک هفته آینده برای "
        "بررسی پرونده‌های خدمات استان تشکیل جلسه می‌دهد و نشست برای نمایندگان مردم باز است.",
    ),
    "en-meeting.html": (
        "Meeting in Baghdad",
        "Akram al-Kaabi, secretary-general of the Nujaba Movement, said on Monday in Baghdad "
        "that the joint committee would meet next week to review public service files.",
    ),
    "xss.html": (
        f"Bulletin {XSS}",
        f"A bulletin was posted with the following markup inside its text: {XSS} and nothing "
        "else of note was reported by the local council about the water works.",
    ),
}
PASSWORDS = {
    "admin": "admin-password-1",
    "analyst": "analyst-password-1",
    "viewer": "viewer-password-1",
}


def page_html(title: str, body: str) -> str:
    escape = lambda s: s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")  # noqa: E731
    paragraphs = "".join(f"<p>{escape(line)}</p>" for line in body.split("\n"))
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{escape(title)}</title></head>"
        f"<body><article><h1>{escape(title)}</h1>{paragraphs}</article></body></html>"
    )


@dataclass
class WebHome:
    workspace: Workspace
    documents: dict[str, int] = field(default_factory=dict)  # file name -> document id
    event_id: int = 0


def populate(workspace: Workspace, folder: Path) -> WebHome:
    sync_kb_yaml(workspace, KB, folder)
    pages = folder / "pages"
    pages.mkdir()
    for name, (title, body) in PAGES.items():
        (pages / name).write_text(page_html(title, body), encoding="utf-8")
    summary = Ingestor(workspace).ingest([str(pages)], source_name="test pages")
    assert summary.pipeline.failures == []
    home = WebHome(workspace)
    with workspace.database.session() as session:
        for name in PAGES:
            home.documents[name] = session.scalars(
                select(Document.id).where(Document.url == (pages / name).as_uri())
            ).one()
        arabic = home.documents["ar-meeting.html"]
        event = Event(
            type="meeting",
            date="2020-01-13",
            date_precision="day",
            date_certainty="certain",
            summary="Joint committee meeting",
            language="ar",
            place_id="test-place-baghdad",
        )
        event.actors.append(EventActor(entity_id="test-person-kaabi", role="actor"))
        event.sources.append(EventSource(document_id=arabic, stage="events", start=0, end=20))
        session.add(event)
        session.add(
            Translation(
                document_id=arabic,
                target_language="en",
                backend="test",
                text="The secretary-general said the committee would meet.",
            )
        )
        for role, password in PASSWORDS.items():
            create_user(session, role, password, role)
        session.flush()
        home.event_id = event.id
    return home


@contextmanager
def web_home(backend: str, folder: Path) -> Iterator[WebHome]:
    with workspace_for(backend, folder) as workspace:
        yield populate(workspace, folder)


def events_of(home: WebHome, entity_id: str | None = None) -> list[Event]:
    """The events naming the entity (every event without one): the one the corpus adds and
    those the events stage coded from the pages, so expected counts follow the stages."""
    with home.workspace.database.session() as session:
        query = select(Event)
        if entity_id is not None:
            query = (
                query.join(EventActor, EventActor.event_id == Event.id)
                .where(EventActor.entity_id == entity_id)
                .distinct()
            )
        events = list(session.scalars(query))
        session.expunge_all()
    return events


def translations_of(home: WebHome, document_id: int) -> list[Translation]:
    with home.workspace.database.session() as session:
        rows = list(
            session.scalars(select(Translation).where(Translation.document_id == document_id))
        )
        session.expunge_all()
    return rows
