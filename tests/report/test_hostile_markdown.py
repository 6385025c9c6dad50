"""Captured titles and URLs stay text in a Markdown report (adversarial probe, item 3):
rendered by a CommonMark renderer, no element or link comes out of a hostile page."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest
from markdown_it import MarkdownIt
from sqlalchemy import update

from marsad.report.build import render
from marsad.report.model import prepare_report
from marsad.store.models import Capture, Document
from tests.alert.store import add_document
from tests.conftest import workspace_for

pytestmark = pytest.mark.adversarial

HOSTILE = [
    # (title, url)
    ("<script>alert(1)</script> headline", "https://news.example/a><script>alert(2)</script>"),
    ("[click](javascript:alert(3)) <img src=x onerror=alert(4)>", "javascript:alert(5)"),
    ("Line one\n\n# Injected heading\n[^9]: forged footnote", "https://news.example/ok page"),
]


def test_hostile_titles_and_urls_render_as_text(tmp_path: Path) -> None:
    with workspace_for("sqlite", tmp_path) as workspace:
        with workspace.database.session() as session:
            for number, (title, url) in enumerate(HOSTILE):
                document = add_document(
                    session, f"A neutral report, number {number}.", language="en", title=title
                )
                for table in (Document, Capture):
                    session.execute(
                        update(table)
                        .where(
                            table.id == (document.id if table is Document else document.capture_id)
                        )
                        .values(url=url)
                    )
        with workspace.database.session() as session:
            report = prepare_report(session, "# Probe\n\nSeen [@doc:1] [@doc:2] [@doc:3].\n")
            markdown = render(report, "md").decode("utf-8")
    html = MarkdownIt("commonmark").render(markdown)
    tree = lxml.html.fromstring(f"<div>{html}</div>")
    assert tree.xpath("//script | //img | //h1[2] | //h1[not(.='Probe')]") == []
    hrefs = tree.xpath("//a/@href")
    assert hrefs == [
        "https://news.example/a%3E%3Cscript%3Ealert(2)%3C/script%3E",
        "https://news.example/ok%20page",
    ]
    text = tree.text_content()
    assert "<script>alert(1)</script> headline" in text
    assert "javascript:alert(5)" in text and "# Injected heading" in text
    assert len([line for line in markdown.splitlines() if line.startswith("[^")]) == 3
