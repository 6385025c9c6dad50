"""A story told by six sources in three languages — 20 documents about four happenings —
merges into exactly four events, each with the documents that reported it; a later meeting
of the same two groups stays apart, and the most certain date wins while the others stay
on their sources."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from marsad.link.aliases import default_variant_generator
from marsad.link.kb import load_kb
from marsad.link.store import KnowledgeBaseStore
from marsad.pipeline.ingest import Ingestor
from marsad.store.models import Document, Event, EventSource
from marsad.text.normalize import default_normalizer
from marsad.workspace import Workspace
from tests.conftest import make_settings

SOURCES = ("Wire A", "Wire B", "Channel C", "Site D", "Channel E", "Site F")
# (happening, language, publication day, text): web pages with their publication date.
REPORTS = [
    ("meeting", "en", "2024-03-05", "Hezbollah met Hamas in Beirut on 4 March 2024 to discuss the situation in Gaza."),
    ("meeting", "en", "2024-03-05", "A delegation from Hamas held talks with Hezbollah in Beirut yesterday."),
    ("meeting", "en", "2024-03-06", "Hezbollah met Hamas in Beirut very likely on 3 March, a source close to both groups said."),
    ("meeting", "ar", "2024-03-05", "التقى حزب الله وفدا من حركة حماس في بيروت يوم 4 آذار 2024."),
    ("meeting", "ar", "2024-03-05", "واجتمع حزب الله مع حركة حماس في بيروت أمس لبحث الأوضاع في غزة."),
    ("meeting", "ar", "2024-03-06", "وبحسب مصادر مطلعة، اجتمع حزب الله مع حركة حماس في بيروت."),
    ("meeting", "fa", "2024-03-05", "حزب‌الله لبنان دیروز با جنبش مقاومت اسلامی در بیروت دیدار کرد."),
    ("meeting", "fa", "2024-03-05", "حزب‌الله لبنان روز ۱۴ اسفند ۱۴۰۲ با جنبش مقاومت اسلامی در بیروت دیدار و گفتگو کرد."),
    ("threat", "en", "2024-03-06", "Kata'ib Hezbollah threatened to strike US forces in Iraq on 5 March 2024 if the shelling continued."),
    ("threat", "en", "2024-03-06", "Kata'ib Hezbollah warned yesterday that US forces in Iraq would be targeted if the shelling went on."),
    ("threat", "ar", "2024-03-06", "وهددت كتائب حزب الله أمس باستهداف القوات الأمريكية في العراق إذا استمر القصف."),
    ("threat", "ar", "2024-03-06", "وهددت كتائب حزب الله يوم 5 آذار 2024 بضرب القوات الأمريكية في العراق."),
    ("threat", "fa", "2024-03-06", "کتائب حزب‌الله دیروز تهدید کرد که اگر حملات ادامه یابد نیروهای آمریکایی در عراق را هدف قرار خواهد داد."),
    ("website", "en", "2024-03-04", "The Houthi movement launched a new Hebrew-language website on 3 March 2024."),
    ("website", "ar", "2024-03-04", "أطلقت جماعة الحوثي موقعا إلكترونيا جديدا باللغة العبرية أمس."),
    ("website", "ar", "2024-03-05", "وأطلقت جماعة الحوثي يوم 3 آذار 2024 موقعا إلكترونيا جديدا باللغة العبرية."),
    ("website", "fa", "2024-03-04", "انصارالله دیروز یک وب‌سایت جدید به زبان عبری راه‌اندازی کرد."),
    ("later meeting", "en", "2024-04-11", "Hezbollah met Hamas again in Beirut on 10 April 2024."),
    ("later meeting", "ar", "2024-04-11", "والتقى حزب الله مجددا وفدا من حركة حماس في بيروت يوم 10 نيسان 2024."),
    ("later meeting", "fa", "2024-04-11", "حزب‌الله لبنان دیروز بار دیگر با جنبش مقاومت اسلامی در بیروت دیدار کرد."),
]  # fmt: skip
EXPECTED = {  # happening -> (type, a KB actor, date)
    "meeting": ("meet", "marsad-org-hezbollah", "2024-03-04"),
    "threat": ("threaten", "marsad-org-kataib-hezbollah", "2024-03-05"),
    "website": ("launch_media", "marsad-org-ansarallah", "2024-03-03"),
    "later meeting": ("meet", "marsad-org-hezbollah", "2024-04-10"),
}


def web_page(text: str, day: str, language: str) -> str:
    meta = f'<meta property="article:published_time" content="{day}T09:00:00+00:00">'
    title = "News" if language == "en" else "خبر"
    return (
        f'<html lang="{language}"><head>{meta}<title>{title}</title></head><body><article>'
        f"<p>{text}</p></article></body></html>"
    )


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, dict[str, str]]]:
    home = tmp_path_factory.mktemp("story")
    workspace, _, _ = Workspace.initialise(make_settings(home, f"sqlite:///{home / 'm.db'}"))
    with workspace.database.session() as session:
        KnowledgeBaseStore(session, default_normalizer(), default_variant_generator()).sync(
            load_kb()
        )
    happening_of = {}
    for number, (happening, language, day, text) in enumerate(REPORTS):
        page = home / f"{number:02d}-{language}.html"
        page.write_text(web_page(text, day, language), encoding="utf-8")
        source = SOURCES[number % len(SOURCES)]
        summary = Ingestor(workspace).ingest([str(page)], language=language, source_name=source)
        assert summary.pipeline.failures == []
        happening_of[page.as_uri()] = happening
    yield workspace, happening_of
    workspace.close()


def test_twenty_reports_merge_into_four_events(story: tuple[Workspace, dict[str, str]]) -> None:
    workspace, happening_of = story
    assert len(REPORTS) == 20 and len({language for _, language, _, _ in REPORTS}) == 3
    with workspace.database.session() as session:
        events = session.scalars(select(Event)).all()
        found = {}
        for event in events:
            urls = {session.get_one(Document, s.document_id).url for s in event.sources}
            happenings = {happening_of[url] for url in urls}
            assert len(happenings) == 1, (event.type, happenings)
            (happening,) = happenings
            assert happening not in found, f"{happening} split into several events"
            found[happening] = event
            assert len(urls) == sum(1 for h, _, _, _ in REPORTS if h == happening), happening
        assert set(found) == set(EXPECTED)
        for happening, (event_type, actor, date) in EXPECTED.items():
            event = found[happening]
            assert event.type == event_type, happening
            assert actor in {a.entity_id for a in event.actors}, happening
            assert (event.date, event.date_precision, event.date_certainty) == (
                date,
                "day",
                "certain",
            )
        threat = found["threat"]
        assert "US forces in Iraq" in {a.surface for a in threat.actors}
        assert found["meeting"].place_id == "marsad-place-lb-beirut"


def test_conflicting_dates_stay_on_their_sources(story: tuple[Workspace, dict[str, str]]) -> None:
    workspace, _ = story
    with workspace.database.session() as session:
        meeting = session.scalars(
            select(Event).where(Event.type == "meet", Event.date == "2024-03-04")
        ).one()
        dates = {(s.date, s.date_certainty, s.date_source) for s in meeting.sources}
        assert ("2024-03-03", "likely", "text") in dates  # "very likely on 3 March"
        assert ("2024-03-04", "certain", "text") in dates
        assert ("2024-03-06", "possible", "published") in dates  # no date: publication day
        sources = session.scalars(select(EventSource)).all()
        assert len({(s.document_id, s.start) for s in sources}) == len(sources)
