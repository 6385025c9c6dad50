"""The workbench in real headless Chromium (Debian's, driven by Playwright) against the app
served by uvicorn on 127.0.0.1: sign in, search across alef forms, read a document right to
left with its entities marked, follow to the entity's timeline, confirm a name in the review
queue, and see a stored-XSS payload stay inert text. Screenshots go to the test's tmp folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.web.corpus import PASSWORDS, XSS, WebHome, events_of, translations_of

pytestmark = pytest.mark.browser


def test_an_analyst_searches_reads_follows_and_reviews(
    served: tuple[str, WebHome], browser: object, tmp_path: Path
) -> None:
    base, home = served
    page = browser.new_page()  # type: ignore[attr-defined]
    page.set_default_timeout(90_000)  # a loaded machine is slow, not wrong
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{base}/search")
    assert "/login" in page.url
    page.fill("input[name=username]", "analyst")
    page.fill("input[name=password]", PASSWORDS["analyst"])
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/search")

    # Bare alef (ا) in the query; the document writes أكرم with hamza.
    page.fill("input[name=q]", "اكرم الكعبي")
    page.press("input[name=q]", "Enter")
    page.locator("ol.hits mark").first.wait_for()  # the htmx answer has replaced the list
    hit = page.locator("ol.hits a.title", has_text="لقاء في بغداد")
    assert page.locator("ol.hits li.hit").count() == 1
    assert page.locator("ol.hits mark", has_text="أكرم").count() >= 1
    assert "q=" in page.url  # hx-push-url keeps the search in the address bar
    page.screenshot(path=str(tmp_path / "1-search.png"), full_page=True)

    hit.click()
    page.wait_for_url(f"{base}/documents/{home.documents['ar-meeting.html']}")
    paragraph = page.locator("article.original p").first
    assert paragraph.get_attribute("dir") == "rtl"
    assert paragraph.evaluate("p => getComputedStyle(p).direction") == "rtl"
    person = page.locator("article.original a.entity", has_text="أكرم الكعبي")
    assert person.count() == 1
    # The corpus's own translation and the one the translate stage made (gloss).
    translations = translations_of(home, home.documents["ar-meeting.html"])
    assert page.locator(".translation").count() == len(translations) == 2
    page.screenshot(path=str(tmp_path / "2-document.png"), full_page=True)

    person.click()
    page.wait_for_url(f"{base}/entities/test-person-kaabi")
    dated = [event for event in events_of(home, "test-person-kaabi") if event.date]
    assert page.locator("svg.timeline a.mark rect.event-span").count() == len(dated)
    # The corpus has no relations: co-mentions (each pair named in three pages) on demand.
    page.click("a.co-mentions-toggle")
    page.wait_for_url(f"{base}/entities/test-person-kaabi?co_mentions=true")
    assert page.locator("svg.relation-graph circle.node").count() == 3
    assert page.locator("svg.relation-graph g.graph-edge.co-mention").count() == 2
    page.screenshot(path=str(tmp_path / "3-entity.png"), full_page=True)

    page.goto(f"{base}/review")
    row = page.locator("tr.queued").first
    surface = row.locator(".surface").inner_text()
    row.locator("input[name=name]").fill("Salem al-Zaidi")
    row.locator("button.confirm").click()
    done = page.locator("td.verdict .done")
    done.wait_for()
    assert surface in done.inner_text() and "confirmed" in done.inner_text()
    page.screenshot(path=str(tmp_path / "4-review.png"), full_page=True)
    page.goto(f"{base}/review")
    assert surface not in page.locator("table.review").inner_text()

    page.goto(f"{base}/documents/{home.documents['xss.html']}")
    assert XSS in page.locator("h1").inner_text()  # shown as the text it is
    assert "<script>" in page.locator("article.original").inner_text()
    assert page.locator("article.original img, article.original script, h1 script").count() == 0
    page.goto(f"{base}/documents/{home.documents['xss.html']}/page")
    assert page.locator(".captured script, .captured img").count() == 0
    page.goto(f"{base}/search?q=bulletin")
    page.locator("ol.hits a.title").first.wait_for()
    page.screenshot(path=str(tmp_path / "5-xss.png"), full_page=True)
    assert page.title() != "pwned" and dialogs == []
    page.close()
