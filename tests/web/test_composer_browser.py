"""The report composer in real headless Chromium against uvicorn on 127.0.0.1: an analyst
starts a report, adds two documents and an event's quoted evidence, moves the quote to the
top, annotates it, builds the PDF from the page, and the PDF's footnotes (read back by
pdftotext) cite the archived captures chosen, in the order the draft gives them."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from marsad.store.models import Document
from tests.web.browser import signed_in_page
from tests.web.corpus import PASSWORDS, WebHome

pytestmark = pytest.mark.browser
NOTE = "The movement's statement, as first captured."


def capture_facts(home: WebHome, document_id: int) -> tuple[str, str]:
    """The document's URL and its capture's SHA-256, as a footnote prints them."""
    with home.workspace.database.session() as session:
        document = session.get_one(Document, document_id)
        return document.url, document.capture.sha256


def pdf_text(path: Path) -> str:
    """The PDF's text with each page's number (its footer) and all white space taken out: a URL
    or a digest may wrap, even onto the next page, whose number would land inside it. `-raw`:
    pdftotext's default layout drops the hyphen of a line that ends in one ("pytest-" + "of-root"
    read "pytestof-root"), so a URL wrapped at its own hyphen would not be found."""
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext (poppler-utils) is missing"
    command = [pdftotext, "-raw", str(path), "-"]
    text = subprocess.run(command, capture_output=True, check=True, text=True)
    pages = []
    for page in text.stdout.split("\f"):
        lines = [line for line in page.splitlines() if line.strip()]
        if lines and lines[-1].strip().isdigit():
            lines.pop()
        pages.append("".join("".join(lines).split()))
    return "".join(pages)


def test_a_report_composed_in_the_page_builds_a_pdf_citing_the_chosen_captures(
    served: tuple[str, WebHome], browser: object, tmp_path: Path
) -> None:
    base, home = served
    english, farsi = home.documents["en-meeting.html"], home.documents["fa-meeting.html"]
    arabic = home.documents["ar-meeting.html"]  # the event's evidence
    page = signed_in_page(browser, base, "analyst", PASSWORDS["analyst"])
    try:
        page.goto(f"{base}/drafts")
        page.fill("form.new-draft input[name=title]", "Committee meetings")
        page.click("form.new-draft button[type=submit]")
        page.wait_for_url(f"{base}/drafts/*")
        draft_url = page.url

        page.fill("form.pick input[name=q]", "meeting")
        page.click("form.pick button[type=submit]")
        page.locator(f"#candidate-document-{english} button.add-document").click()
        page.locator(f"#candidate-document-{farsi} button.add-document").click()
        page.locator(f"#candidate-event-{home.event_id} button.add-event-quote").click()
        items = page.locator("ol.draft-items li.draft-item")
        assert items.count() == 3
        quote = items.nth(2)
        assert quote.locator("blockquote").inner_text().strip()

        # The quote to the top, twice up; then annotated.
        quote.locator("button.up").click()
        page.locator("ol.draft-items li.draft-item.quote button.up").click()
        items = page.locator("ol.draft-items li.draft-item")
        assert [items.nth(i).get_attribute("class") for i in range(3)] == [
            "draft-item quote", "draft-item document", "draft-item document"
        ]  # fmt: skip
        assert [items.nth(i).locator("a.title").get_attribute("href") for i in (1, 2)] == [
            f"/documents/{english}", f"/documents/{farsi}"
        ]  # fmt: skip
        items.first.locator("textarea[name=note]").fill(NOTE)
        items.first.locator("button.save-note").click()
        assert page.locator("ol.draft-items li.draft-item").first.locator(
            "textarea[name=note]").input_value() == NOTE  # fmt: skip
        page.screenshot(path=str(tmp_path / "composer.png"), full_page=True)

        page.goto(draft_url)
        page.select_option("form.build select[name=format]", "pdf")
        with page.expect_download() as download_info:
            page.click("form.build button[type=submit]")
        download = download_info.value
        assert download.suggested_filename.endswith(".pdf")
        pdf = tmp_path / "report.pdf"
        download.save_as(str(pdf))
    finally:
        page.close()  # type: ignore[attr-defined]

    assert pdf.read_bytes().startswith(b"%PDF")
    text = pdf_text(pdf)
    assert "".join(NOTE.split()) in text
    sources = text[text.rindex("Sources") :]
    positions = []
    for document_id in (arabic, english, farsi):
        url, sha256 = capture_facts(home, document_id)
        assert url in sources and sha256 in sources
        positions.append(sources.index(url))
    # The event's evidence first (its document, then the event itself), then the pages.
    assert positions == sorted(positions)
    assert sources.count(capture_facts(home, arabic)[0]) == 2
