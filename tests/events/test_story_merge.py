"""A story told by six sources in three languages — 20 documents about four happenings —
merges into exactly four events, each with the documents that reported it; a later meeting
of the same two groups stays apart, and the most certain date wins while the others stay
on their sources."""

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from marsad.link.kb import load_kb
from marsad.pipeline.ingest import Ingestor
from marsad.store.models import Document, Event, EventSource
from marsad.workspace import Workspace
from tests.conftest import workspace_for
from tests.knowledge import sync_entries

STORY = yaml.safe_load((Path(__file__).parent / "gold" / "story.yaml").read_text("utf-8"))
SOURCES: list[str] = STORY["sources"]
REPORTS = [(r["happening"], r["language"], r["published"], r["text"]) for r in STORY["reports"]]
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
def story(
    backend: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Workspace, dict[str, str]]]:
    home = tmp_path_factory.mktemp("story")
    with workspace_for(backend, home) as workspace:
        yield workspace, told_story(workspace, home)


def told_story(workspace: Workspace, home: Path) -> dict[str, str]:
    """The twenty reports ingested one by one, as they would arrive: page URL -> happening."""
    sync_entries(workspace, load_kb())
    happening_of = {}
    for number, (happening, language, day, text) in enumerate(REPORTS):
        page = home / f"{number:02d}-{language}.html"
        page.write_text(web_page(text, day, language), encoding="utf-8")
        source = SOURCES[number % len(SOURCES)]
        summary = Ingestor(workspace).ingest([str(page)], language=language, source_name=source)
        assert summary.pipeline.failures == []
        happening_of[page.as_uri()] = happening
    return happening_of


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
