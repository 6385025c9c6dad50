"""Captured strings cannot disguise themselves on the pages (adversarial probe, item 11): bidi
controls show as visible tokens, homograph hosts in punycode; Arabic-script text and hosts
wholly in one script are shown as written."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from marsad.store.models import Capture, Document
from marsad.web.accounts import create_user
from marsad.web.app import create_app
from marsad.web.display import display_host, safe_display, visible_bidi
from tests.alert.store import add_document
from tests.conftest import workspace_for

pytestmark = pytest.mark.adversarial

SPOOFED_TITLE = "بيان رسمي \u202eexe.txt\u202c عن المياه"
HOMOGRAPH_URL = "https://pаypal.com/statement"  # a Cyrillic а
ARABIC_URL = "https://موقع.السعودية/بيان"
PERSIAN = "می\u200cشود \u200fنشست"  # ZWNJ and RLM belong to the text


def test_the_document_page_shows_controls_and_punycode(tmp_path: Path) -> None:
    with workspace_for("sqlite", tmp_path) as workspace:
        with workspace.database.session() as session:
            create_user(session, "reader", "a-long-reader-passphrase", "viewer")
            ids = []
            for title, url, text in (
                (SPOOFED_TITLE, HOMOGRAPH_URL, f"نص الخبر {SPOOFED_TITLE}"),
                ("بيان", ARABIC_URL, PERSIAN),
            ):
                document = add_document(session, text, title=title)
                for table, row_id in ((Document, document.id), (Capture, document.capture_id)):
                    session.execute(update(table).where(table.id == row_id).values(url=url))
                ids.append(document.id)
        client = TestClient(create_app(workspace))
        signed = client.post(
            "/api/v1/session", json={"username": "reader", "password": "a-long-reader-passphrase"}
        )
        assert signed.status_code == 200
        spoofed = client.get(f"/documents/{ids[0]}").text
        plain = client.get(f"/documents/{ids[1]}").text
    assert "\u202e" not in spoofed and "\u202c" not in spoofed
    assert "⟦U+202E⟧exe.txt⟦U+202C⟧" in spoofed
    assert "https://xn--pypal-4ve.com/statement" in spoofed and "pаypal" not in spoofed
    assert ARABIC_URL in plain and PERSIAN in plain


@pytest.mark.parametrize(
    ("host", "shown"),
    [
        ("pаypal.com", "xn--pypal-4ve.com"),  # mixed in one label
        ("аррӏе.com", "xn--80ak6aa92e.com"),  # Cyrillic label under a Latin TLD
        ("ραypal.example", "xn--ypal-zld9g.example"),  # Greek and Latin
        ("bücher.de", "bücher.de"),  # Latin with a diacritic
        ("موقع.السعودية", "موقع.السعودية"),
        ("пример.рф", "пример.рф"),  # wholly Cyrillic
    ],
)
def test_hosts_are_punycoded_only_when_scripts_mix(host: str, shown: str) -> None:
    assert display_host(host) == shown


def test_marks_used_by_rtl_text_are_kept() -> None:
    assert visible_bidi(PERSIAN) == PERSIAN
    assert visible_bidi("a\u2067b\u2069") == "a⟦U+2067⟧b⟦U+2069⟧"


ORDER_OF = """(h1) => {
    const node = [...h1.childNodes].find((n) => n.nodeType === 3 && n.data.includes("exe.txt"));
    const at = node.data.indexOf("exe.txt");
    const left = (offset) => {
        const range = document.createRange();
        range.setStart(node, offset);
        range.setEnd(node, offset + 1);
        return range.getBoundingClientRect().left;
    };
    return left(at) < left(at + 4);  // "e" of exe left of "t" of txt: shown in its own order
}"""


@pytest.mark.browser
def test_chromium_lays_the_spoofed_title_out_in_its_own_order(
    tmp_path: Path, browser: object
) -> None:
    """Without the fix Chromium obeys the U+202E and shows "txt.exe"."""
    html = "<!doctype html><meta charset=utf-8><h1 dir=rtl>{}</h1>"
    page = browser.new_page()  # type: ignore[attr-defined]
    page.set_content(html.format(SPOOFED_TITLE))
    assert page.locator("h1").evaluate(ORDER_OF) is False  # the spoof works on raw text
    page.set_content(html.format(safe_display(SPOOFED_TITLE)))
    assert page.locator("h1").evaluate(ORDER_OF) is True
    page.close()
