"""A post's media in real headless Chromium (Debian's, driven by Playwright) against uvicorn
on 127.0.0.1: the photo loads inline through /media/ID under the page's Content-Security-
Policy, sits beside the post's text, its OCR text reads right to left, the PDF is a link, and
the browser reports no blocked resource. Screenshots go to the test's tmp folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.web.browser import signed_in_page
from tests.web.corpus import PASSWORDS, WebHome
from tests.web.media_corpus import add_post_with_media

pytestmark = pytest.mark.browser


def test_a_post_shows_its_photo_and_ocr_text_beside_its_text(
    served: tuple[str, WebHome], browser: object, tmp_path: Path
) -> None:
    base, home = served
    post = add_post_with_media(home, tmp_path / "media")
    page = signed_in_page(browser, base, "analyst", PASSWORDS["analyst"])
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text)  # type: ignore[attr-defined]
            if message.type == "error" else None)  # fmt: skip

    page.goto(f"{base}/documents/{post.post_id}")  # type: ignore[attr-defined]

    photo = page.locator(f"#medium-{post.photo_capture_id} img")  # type: ignore[attr-defined]
    photo.wait_for()
    page.wait_for_function(  # type: ignore[attr-defined]
        "img => img.complete && img.naturalWidth > 0", arg=photo.element_handle()
    )
    assert photo.evaluate("img => img.naturalWidth") > 500  # the 1400-pixel statement
    ocr = page.locator(f"#medium-{post.photo_capture_id} .ocr-text")  # type: ignore[attr-defined]
    assert ocr.evaluate("div => getComputedStyle(div).direction") == "rtl"
    assert "افتتاح مركز صحي" in ocr.inner_text()
    media_box = page.locator("aside.media").bounding_box()  # type: ignore[attr-defined]
    text_box = page.locator("article.original").bounding_box()  # type: ignore[attr-defined]
    assert media_box["x"] + media_box["width"] <= text_box["x"]  # beside, not above
    assert abs(media_box["y"] - text_box["y"]) < 5
    pdf = page.locator(f"#medium-{post.pdf_capture_id} a.pdf")  # type: ignore[attr-defined]
    assert pdf.get_attribute("href") == f"/media/{post.pdf_capture_id}"
    label = page.locator(f"#medium-{post.photo_capture_id} .hash-match")  # type: ignore[attr-defined]
    assert "statement poster <b>label</b>" in label.inner_text()  # text, not markup
    page.screenshot(path=str(tmp_path / "post-with-media.png"), full_page=True)  # type: ignore[attr-defined]
    assert problems == []

    page.goto(f"{base}/documents/{home.documents['en-meeting.html']}")  # type: ignore[attr-defined]
    assert page.locator("aside.media").count() == 0  # type: ignore[attr-defined]
    page.close()  # type: ignore[attr-defined]
