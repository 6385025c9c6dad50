import codecs

import pytest

from marsad.errors import UnsupportedFormat
from marsad.text.decode import content_kind, decode_content

ARABIC = "أعلنت الحركة اليوم افتتاح مكتب جديد لها في مدينة البصرة بحضور عدد من الوجهاء"
HEBREW = "הארגון הודיע היום על פתיחת אתר אינטרנט חדש בשפה העברית"


def page(body: str, meta: str = "") -> str:
    return f"<html><head>{meta}<title>t</title></head><body><p>{body}</p></body></html>"


def test_undeclared_windows_1256_arabic_is_detected() -> None:
    data = page(ARABIC * 3).encode("cp1256")
    decoded = decode_content(data, "text/html")
    assert ARABIC in decoded.text
    assert decoded.method == "detected"


def test_declared_windows_1256_in_meta_is_used() -> None:
    data = page(ARABIC, '<meta charset="windows-1256">').encode("cp1256")
    decoded = decode_content(data, None)
    assert (decoded.encoding, decoded.method) == ("cp1256", "meta")
    assert ARABIC in decoded.text


def test_iso_8859_8_i_hebrew_declared_in_header() -> None:
    data = page(HEBREW).encode("iso8859-8")
    decoded = decode_content(data, "text/html; charset=ISO-8859-8-I")
    assert decoded.method == "declared" and HEBREW in decoded.text


def test_wrong_declaration_falls_back_to_what_the_bytes_are() -> None:
    data = page(ARABIC).encode("utf-8")
    decoded = decode_content(data, "text/html; charset=us-ascii-but-not-really")
    assert ARABIC in decoded.text and decoded.encoding == "utf-8"


def test_utf16_with_bom() -> None:
    data = codecs.BOM_UTF16_LE + page(HEBREW).encode("utf-16-le")
    assert HEBREW in decode_content(data, None).text
    assert content_kind(data, None) == "html"


@pytest.mark.parametrize(
    ("data", "content_type", "message"),
    [
        (b"", None, "empty"),
        (b"  \n\t ", "text/plain", "empty"),
        (b"%PDF-1.7\n...", "application/pdf", "PDF document"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", None, "PNG image"),
        (b"GIF89a\x01\x00", None, "GIF image"),
        (b"abc\x00\x01\x02def", None, "NUL bytes"),
        (b'{"a": 1}', "application/json", "unsupported content type 'application/json'"),
    ],
)
def test_unsupported_content_is_named(data: bytes, content_type: str | None, message: str) -> None:
    with pytest.raises(UnsupportedFormat, match=message):
        content_kind(data, content_type)


def test_html_recognised_without_a_content_type_and_text_as_text() -> None:
    assert content_kind(b"<!DOCTYPE html><html></html>", None) == "html"
    assert content_kind("بيان رسمي".encode(), "text/plain") == "text"
    assert content_kind(b"plain words", None) == "text"
