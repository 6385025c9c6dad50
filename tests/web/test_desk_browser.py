"""The analyst's desk in real headless Chromium against uvicorn on 127.0.0.1: an "alert me" on
a search becomes a rule; a page that matches it is ingested; the alert is in the inbox and
reaches a webhook receiver on 127.0.0.1 signed with the secret the page showed once; the
what's-new page lists the page as new and first seen, the threat first; the timeline draws a
month-precision event a month wide (a year-precision one a year wide) with its label, its
quote on focus, and the undated event beside it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from marsad.alert.channels import SIGNATURE_HEADER, signature_matches
from marsad.alert.delivery import Deliverer
from marsad.alert.settings import DeliverySettings
from marsad.pipeline.ingest import Ingestor
from marsad.store.models import Document, Event, EventActor, EventSource, User, utcnow
from tests.alert.receiver import Receiver
from tests.web.browser import signed_in_page
from tests.web.corpus import PASSWORDS, WebHome, page_html

pytestmark = pytest.mark.browser
KEYWORD = "محطة التحلية"
NEWS = (
    "صيانة محطة التحلية",
    "أعلنت حركة النجباء في بيان اليوم أن أعمال صيانة محطة التحلية في البصرة ستنتهي خلال "
    "الشهر المقبل، وأن فرق الخدمات ستعمل على مدار الساعة لإعادة ضخ المياه إلى الأحياء.",
)
QUOTE = "أعلنت حركة النجباء في بيان اليوم"


def ingest_news(home: WebHome, folder: Path) -> int:
    path = folder / "desalination.html"
    path.write_text(page_html(*NEWS), encoding="utf-8")
    summary = Ingestor(home.workspace).ingest([str(path)], source_name="test pages")
    assert summary.pipeline.failures == []
    with home.workspace.database.session() as session:
        return session.scalars(select(Document.id).where(Document.url == path.as_uri())).one()


def add_events(home: WebHome, document_id: int) -> dict[str, int]:
    """Events of the group read in the new page, as the events stage would store them: a
    threat dated to a month (likely), a statement dated to a year, one with no date."""
    with home.workspace.database.session() as session:
        text = session.get_one(Document, document_id).text or ""
        start = text.index(QUOTE)
        made = {}
        for key, fields in {
            "month": {"type": "threaten", "date": "2021-03", "date_precision": "month",
                      "date_certainty": "likely", "severity": "vague"},
            "year": {"type": "statement", "date": "2020", "date_precision": "year"},
            "undated": {"type": "statement", "date": None},
        }.items():  # fmt: skip
            event = Event(language="ar", **fields)  # type: ignore[arg-type]
            event.actors.append(EventActor(entity_id="test-org-nujaba", role="actor"))
            event.sources.append(
                EventSource(document_id=document_id, stage="events", start=start,
                            end=start + len(QUOTE))
            )  # fmt: skip
            session.add(event)
            session.flush()
            made[key] = event.id
    return made


def test_an_alert_from_a_search_reaches_the_inbox_the_webhook_the_desk_and_the_timeline(
    served: tuple[str, WebHome], browser: object, tmp_path: Path
) -> None:
    base, home = served
    receiver = Receiver().start()
    page = signed_in_page(browser, base, "analyst", PASSWORDS["analyst"])
    try:
        # A search with no result yet, turned into a rule.
        page.goto(f"{base}/search?q={KEYWORD}&language=ar")
        page.click("a.alert-me")
        page.wait_for_url(f"{base}/alerts/new?*")
        assert page.locator("textarea[name=keywords]").input_value() == KEYWORD
        assert page.locator("input[name=languages]").input_value() == "ar"
        page.fill("textarea[name=entities]", "حركة النجباء")
        page.check("input[name=first_seen]")
        page.fill("input[name=webhook_url]", receiver.url)
        page.click("form.rule-form button[type=submit]")
        secret = page.locator("code.secret").inner_text()
        row = page.locator("tr.rule", has_text=KEYWORD)
        assert row.locator(".state").inner_text() == "active"
        row.locator("button.toggle").click()  # pause, then resume
        assert page.locator("tr.rule", has_text=KEYWORD).locator(".state").inner_text() == "paused"
        page.locator("tr.rule", has_text=KEYWORD).locator("button.toggle").click()
        assert page.locator("tr.rule", has_text=KEYWORD).locator(".state").inner_text() == "active"
        page.screenshot(path=str(tmp_path / "1-alerts.png"), full_page=True)

        # The last visit of the desk was just now: what comes next is new.
        with home.workspace.database.session() as session:
            analyst = session.scalars(select(User).where(User.username == "analyst")).one()
            analyst.desk_visited_at = analyst.desk_since = utcnow()
        document_id = ingest_news(home, tmp_path)
        events = add_events(home, document_id)

        report = Deliverer(
            home.workspace.database, DeliverySettings.from_settings(home.workspace.settings)
        ).deliver()
        assert report.delivered == 1
        (posted,) = receiver.received
        assert signature_matches(secret, posted.body, posted.headers[SIGNATURE_HEADER])
        body = json.loads(posted.body)
        assert body["item"]["id"] == document_id
        assert {reason["condition"] for reason in body["reasons"]} == {
            "keyword", "language", "entity", "first_seen"
        }  # fmt: skip

        page.goto(f"{base}/inbox")
        item = page.locator("li.alert-item", has_text=NEWS[0])
        assert "unread" in (item.get_attribute("class") or "")
        assert item.locator("a.title").get_attribute("href") == f"/documents/{document_id}"
        assert "delivered" in item.inner_text() and KEYWORD in item.inner_text()
        page.screenshot(path=str(tmp_path / "2-inbox.png"), full_page=True)
        item.locator("button.mark").click()
        read = page.locator("li.alert-item", has_text=NEWS[0])
        assert "read" in (read.get_attribute("class") or "").split()

        page.goto(f"{base}/desk")
        news = page.locator(f"#news-document-{document_id}")
        assert news.locator(".first-seen").inner_text() == "first seen"
        assert QUOTE in news.locator("blockquote").inner_text()
        assert "ar · test pages" in news.locator(".meta").inner_text()
        # The corpus pages came before the last visit: not new.
        assert page.locator("ol.documents-news li.news-document").count() == 1
        first_event = page.locator("ol.events-news li").first
        assert first_event.get_attribute("id") == f"news-event-{events['month']}"
        assert "threat" in (first_event.get_attribute("class") or "")
        page.screenshot(path=str(tmp_path / "3-desk.png"), full_page=True)

        page.goto(f"{base}/entities/test-org-nujaba")
        month = page.locator(f"a#mark-{events['month']}")
        year = page.locator(f"a#mark-{events['year']}")
        month_width = float(month.locator("rect.event-span").get_attribute("width") or 0)
        year_width = float(year.locator("rect.event-span").get_attribute("width") or 0)
        assert abs(month_width / year_width - 31 / 366) < 0.01  # March 2021 in the year 2020
        assert month.locator("text.mark-label").text_content() == (
            "Threat · Harakat Hezbollah al-Nujaba"
        )
        assert "likely" in (month.get_attribute("class") or "")
        assert not month.locator(".tip-text").is_visible()
        month.focus()
        assert month.locator(".tip-text").is_visible()
        assert QUOTE in month.locator(".tip-text").inner_text()
        assert QUOTE in (month.get_attribute("aria-label") or "")
        page.screenshot(path=str(tmp_path / "4-timeline.png"), full_page=True)
        undated = page.locator("aside.undated li", has=page.locator(
            f"a[href='/events#event-{events['undated']}']"))  # fmt: skip
        assert QUOTE in undated.inner_text()
    finally:
        page.close()  # type: ignore[attr-defined]
        receiver.stop()
