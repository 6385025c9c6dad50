from pathlib import Path

import pytest

from marsad.errors import ExtractionFailed
from marsad.text.extract import extract_html, extract_plain_text, text_fingerprint

FIXTURES = Path(__file__).parent / "fixtures"


def test_article_text_without_page_boilerplate() -> None:
    html = (FIXTURES / "fa-news-page.html").read_text(encoding="utf-8")
    page = extract_html(html, "file:///fa-news-page.html")
    assert "خبرگزاری نمونه" not in page.text  # site name in the header
    assert "اشتراک‌گذاری" not in page.text  # share buttons
    assert "همه حقوق محفوظ است" not in page.text  # footer
    assert "اخبار مرتبط" not in page.text  # related links
    assert "دفتر جدید" in page.text
    assert "کمک‌های غذایی" in page.text
    assert page.title == "گشایش دفتر جدید یک مؤسسه خیریه در اهواز"
    assert page.canonical_url == "https://news.example/fa/1398/10/office"
    assert page.published == "2020-01-05"


def test_short_page_still_yields_its_text() -> None:
    page = extract_html("<html><body><p>بيان قصير.</p></body></html>", None)
    assert page.text == "بيان قصير."


def test_page_without_text_fails_clearly() -> None:
    with pytest.raises(ExtractionFailed, match="no readable text"):
        extract_html("<html><body><nav></nav><script>var a=1;</script></body></html>", None)


def test_plain_text_title_is_first_line() -> None:
    page = extract_plain_text("\n  بيان صحفي  \nالنص الكامل للبيان.\n")
    assert page.title == "بيان صحفي"
    assert page.text == "بيان صحفي  \nالنص الكامل للبيان."
    with pytest.raises(ExtractionFailed):
        extract_plain_text(" \n ")


def test_fingerprint_ignores_wrapping_only() -> None:
    assert text_fingerprint("a  b\nc") == text_fingerprint("a b c")
    assert text_fingerprint("a b c") != text_fingerprint("a b d")
