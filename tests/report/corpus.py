"""A small store for report tests: two documents, a translation aligned by sentence, an
entity with dated events (rows written as the stages write them)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from marsad.store.models import Alias, Entity, Event, EventActor, EventSource, Translation
from marsad.text.normalize import default_normalizer
from tests.alert.store import add_document

ARABIC = (
    "أعلنت حركة النجباء إطلاق موقع إلكتروني جديد باللغة العبرية. "
    "وقال المتحدث باسم الحركة إن الموقع سينشر البيانات الرسمية."
)
HEBREW_LINE = "האתר החדש של התנועה הושק ביום שני בשפה העברית."
ARABIC_QUOTE = "وقال المتحدث باسم الحركة إن الموقع سينشر البيانات الرسمية."
ENGLISH = "The Nujaba movement launched a Hebrew-language website on Monday, officials said."
TRANSLATION = (
    "The Nujaba movement announced a new website in Hebrew. "
    "The movement's spokesman said the site will publish official statements."
)

REPORT = """# Weekly monitor: Nujaba media

The movement opened a Hebrew-language website [@doc:1]. An English outlet reported the launch
the same day [@doc:2; @doc:1].

{{quote: doc:1 "وقال المتحدث باسم الحركة إن الموقع سينشر البيانات الرسمية."}}

## Timeline

{{timeline: حركة النجباء}}

The raw capture of the statement is preserved [@capture:1]. A Hebrew-language outlet
wrote:

האתר החדש של התנועה הושק ביום שני בשפה העברית.

Inline code such as `[@doc:999]` is text, not a citation.
"""


def populate(session: Session) -> None:
    morning, afternoon = (
        datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
        datetime(2026, 3, 2, 14, tzinfo=UTC),
    )
    arabic = add_document(session, ARABIC, title="بيان حول الموقع الجديد", seen=morning)
    english = add_document(
        session, ENGLISH, language="en", title="Militia launches website", source="news_site",
        seen=afternoon,
    )  # fmt: skip
    source_sentence = ARABIC.index(ARABIC_QUOTE)
    target_sentence = TRANSLATION.index("The movement's")
    session.add(
        Translation(
            document_id=arabic.id, target_language="en", backend="gloss", text=TRANSLATION,
            alignment=[
                {"source": [0, source_sentence], "target": [0, target_sentence]},
                {"source": [source_sentence, len(ARABIC)],
                 "target": [target_sentence, len(TRANSLATION)]},
            ],
        )
    )  # fmt: skip
    group = Entity(id="org-nujaba", kind="organization", name="Harakat al-Nujaba")
    key = default_normalizer().key("حركة النجباء")
    group.aliases.append(Alias(name="حركة النجباء", normalized=key, language="ar"))
    session.add(group)
    session.flush()
    for date, certainty, kind, summary, document in (
        ("2026-03-02", "certain", "launch_media", "Hebrew-language website launched", arabic),
        ("2026-01", "likely", "meet", "Leaders met in Baghdad", english),
    ):
        precision = "day" if len(date) == 10 else "month"
        event = Event(
            type=kind, date=date, date_precision=precision, date_certainty=certainty,
            summary=summary, language=document.language,
        )  # fmt: skip
        event.actors.append(EventActor(entity_id=group.id, role="actor"))
        event.sources.append(EventSource(document_id=document.id, stage="events", start=0, end=20))
        session.add(event)
    session.flush()
