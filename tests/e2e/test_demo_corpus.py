"""The bundled demo corpus through the whole pipeline, as `make run` does it."""

from dataclasses import dataclass
from pathlib import Path

import lxml.html
import pytest
from sqlalchemy import select

from marsad.datafiles import DEMO_DIR
from marsad.pipeline.ingest import Ingestor
from marsad.store.models import DateMention, Document
from tests.conftest import workspace_for

BOILERPLATE_XPATH = "//footer | //nav | //*[contains(@class, 'share')] | //form"


def boilerplate_lines(path: Path) -> set[str]:
    """Lines of navigation, footer, share and form text long enough to be unambiguous."""
    tree = lxml.html.fromstring(path.read_bytes())
    lines = set()
    for element in tree.xpath(BOILERPLATE_XPATH):
        for line in element.text_content().splitlines():
            if len(line.strip()) >= 25:
                lines.add(line.strip())
    return lines


@dataclass
class DemoRun:
    documents: dict[str, Document]  # by file name
    date_mentions: list[DateMention]


@pytest.fixture(scope="module")
def demo(backend: str, tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    with workspace_for(backend, tmp_path_factory.mktemp("demo")) as workspace:
        summary = Ingestor(workspace).ingest([str(DEMO_DIR)], source_name="demo")
        assert summary.pipeline.failures == []
        with workspace.database.session() as session:
            return DemoRun(
                documents={Path(d.url).name: d for d in session.scalars(select(Document))},
                date_mentions=list(session.scalars(select(DateMention))),
            )


def test_every_page_is_extracted_and_identified(demo: DemoRun) -> None:
    pages = sorted(path.name for path in DEMO_DIR.glob("*.html"))
    assert sorted(demo.documents) == pages
    wrong = {
        name: document.language
        for name, document in demo.documents.items()
        if document.language != name.split("-")[0]
    }
    assert wrong == {}
    assert all(len(document.text or "") > 300 for document in demo.documents.values())
    assert all(document.title for document in demo.documents.values())


def test_boilerplate_stays_out_of_the_text(demo: DemoRun) -> None:
    leaks = {
        name: sorted(
            line for line in boilerplate_lines(DEMO_DIR / name) if line in (doc.text or "")
        )
        for name, doc in demo.documents.items()
    }
    assert {name: lines for name, lines in leaks.items() if lines} == {}


def test_legacy_encoded_page_reads_as_arabic(demo: DemoRun) -> None:
    legacy = [doc for name, doc in demo.documents.items() if "cp1256" in name]
    assert legacy, "the demo corpus has a windows-1256 page"
    text = legacy[0].text or ""
    assert sum("\u0600" <= char <= "\u06ff" for char in text) > 200
    assert "\ufffd" not in text


def test_dates_in_every_calendar_and_a_dateline(demo: DemoRun) -> None:
    basra = demo.documents["ar-04-ramadan-food-baskets.html"]
    assert (basra.published, basra.published_certainty) == ("2020-05-07", "likely")
    assert "رمضان" in (basra.published_expression or "")
    assert {"gregorian", "hijri", "jalali", "hebrew"} <= {m.calendar for m in demo.date_mentions}
    # The corpus reports 2019-2020; nothing resolves past the day Marsad saw the pages.
    late = [m.expression for m in demo.date_mentions if not m.relative and m.value > "2021"]
    assert late == []
