"""Rendering a report in every format from one store: footnotes numbered in order of first
use, sources listed with title, URL, capture time, SHA-256 and language, an entity timeline
and a quoted Arabic passage with its aligned translation. The PDF is read back with poppler:
pages turned into PNG images (pdftoppm) and text extracted (pdftotext)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document as read_docx
from PIL import Image

from marsad.errors import ReportError
from marsad.report.build import render
from marsad.report.model import PreparedReport, prepare_report
from marsad.workspace import Workspace
from tests.conftest import workspace_for
from tests.report.corpus import ARABIC_QUOTE, HEBREW_LINE, REPORT, populate

BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture(scope="module")
def workspace(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    with workspace_for(backend, tmp_path_factory.mktemp("report")) as workspace:
        with workspace.database.session() as session:
            populate(session)
        yield workspace


@pytest.fixture(scope="module")
def report(workspace: Workspace) -> PreparedReport:
    with workspace.database.session() as session:
        return prepare_report(session, REPORT)


def test_sources_are_numbered_in_order_of_first_use(report: PreparedReport) -> None:
    assert report.title == "Weekly monitor: Nujaba media"
    # doc 1, doc 2, then the quote cites doc 1 again, the timeline's two events in date
    # order (January before March), then the capture.
    assert [str(s.key) for s in report.sources] == [
        "@doc:1", "@doc:2", "@event:2", "@event:1", "@capture:1",
    ]  # fmt: skip
    first = report.sources[0]
    assert first.title == "بيان حول الموقع الجديد" and first.language == "ar"
    assert first.captured() == "2026-03-02 09:30 UTC" and len(first.sha256 or "") == 64


def test_markdown_has_footnotes_and_definitions(report: PreparedReport) -> None:
    text = render(report, "md").decode("utf-8")
    assert "website [^1]. An English outlet reported the launch\nthe same day [^2][^1]." in text
    assert f"> {ARABIC_QUOTE} [^1]" in text
    assert (
        "> *Translation (en, gloss):* The movement's spokesman said the site will publish" in text
    )
    assert "- **2026-01** (likely) — meet: Leaders met in Baghdad [^3]" in text
    assert "- **2026-03-02** — launch_media: Hebrew-language website launched [^4]" in text
    assert "`[@doc:999]`" in text
    definitions = [line for line in text.splitlines() if line.startswith("[^")]
    assert [line.split("]:")[0] for line in definitions] == [f"[^{n}" for n in range(1, 6)]
    assert definitions[1] == (
        "[^2]: Militia launches website. <https://t.me/example/51a09e5b> Captured 2026-03-02 "
        f"14:00 UTC; SHA-256 {report.sources[1].sha256}; language en."
    )


def test_html_links_marks_to_sources_sets_direction_and_is_sanitised(
    workspace: Workspace,
) -> None:
    hostile = REPORT + (
        "\n<script>alert(1)</script> [click](javascript:alert(2)) <img src=x onerror=alert(3)> "
        "**bold**\n"
    )
    with workspace.database.session() as session:
        html = render(prepare_report(session, hostile), "html").decode("utf-8")
    assert '<sup class="cite"><a href="#source-2">2</a>,<a href="#source-1">1</a></sup>' in html
    assert '<li id="source-5">' in html
    assert f'<p dir="rtl">{ARABIC_QUOTE} <sup class="cite">' in html
    assert "<script>" not in html and 'href="javascript' not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "<strong>bold</strong>" in html


def test_docx_has_superscript_marks_rtl_quote_and_sources(report: PreparedReport) -> None:
    document = read_docx(io.BytesIO(render(report, "docx")))
    paragraphs = document.paragraphs
    opening = next(p for p in paragraphs if p.text.startswith("The movement opened"))
    marks = [run.text for run in opening.runs if run.font.superscript]
    assert marks == ["1", "2,1"]
    quote = next(p for p in paragraphs if ARABIC_QUOTE in p.text)
    assert quote.style is not None and quote.style.name == "Quote"
    assert (
        quote._p.pPr is not None
        and quote._p.pPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}bidi")
        is not None
    )
    assert any(run.font.rtl for run in quote.runs)
    heading = next(i for i, p in enumerate(paragraphs) if p.text == "Sources")
    listed = [p.text for p in paragraphs[heading + 1 :]]
    assert [text.split(".")[0] for text in listed] == ["1", "2", "3", "4", "5"]
    assert listed[1].startswith("2. Militia launches website. <https://t.me/example/51a09e5b>")
    assert "Captured 2026-03-02 14:00 UTC" in listed[1] and "language en" in listed[1]


def test_unknown_citations_are_named(workspace: Workspace) -> None:
    with workspace.database.session() as session:
        with pytest.raises(ReportError, match="does not have: @doc:404, @event:77"):
            prepare_report(session, "Claim [@doc:404], another [@event:77], fine [@doc:1].")


@pytest.mark.parametrize(
    ("directive", "message"),
    [
        ("{{timeline: Nobody at all}}", "no entity is named 'Nobody at all'"),
        ('{{quote: doc:1 "not in the text"}}', "has no passage"),
        ("{{quote: doc:1 5-99999}}", "outside document 1"),
        ("{{chart: x}}", "unknown directive"),
    ],
)
def test_bad_directives_say_what_is_wrong(
    workspace: Workspace, directive: str, message: str
) -> None:
    with workspace.database.session() as session:
        with pytest.raises(ReportError, match=message):
            prepare_report(session, f"# R\n\n{directive}\n")


def _poppler(tool: str) -> str:
    found = shutil.which(tool)
    assert found, f"{tool} missing: install poppler-utils (scripts/debian-packages.txt)"
    return found


def test_rendering_leaves_pillow_refusing_truncated_images() -> None:
    """WeasyPrint's import switches Pillow to accepting truncated images for the whole process;
    Marsad puts it back. A fresh interpreter, since an import earlier in this process (by any
    test) would run WeasyPrint's module code before this test and hide or fake the answer."""
    code = (
        "from PIL import ImageFile\n"
        "from marsad.report.pdf import weasyprint_html\n"
        "weasyprint_html()(string='<p>x</p>').write_pdf()\n"
        "print(ImageFile.LOAD_TRUNCATED_IMAGES)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_pdf_pages_render_and_read_back_in_order(report: PreparedReport, tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(render(report, "pdf"))
    subprocess.run([_poppler("pdftoppm"), "-r", "60", "-png", str(pdf), str(tmp_path / "page")],
                   check=True)  # fmt: skip
    pages = sorted(tmp_path.glob("page-*.png"))
    assert pages
    with Image.open(pages[0]) as image:
        assert image.size[0] > 400 and image.getextrema() != ((255, 255),) * 3  # not blank
    text = subprocess.run([_poppler("pdftotext"), str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout  # fmt: skip
    logical = BIDI_CONTROLS.sub("", text)
    # Footnote marks follow their claims, the Arabic quote comes out whole and in reading
    # order, and the sources are listed 1..5 after the body.
    assert "website 1. An English outlet" in logical
    assert "same day 2,1." in logical
    quote_at = logical.index(ARABIC_QUOTE.rstrip("."))
    assert logical.index("Translation (en, gloss)") > quote_at
    assert logical.index("Leaders met in Baghdad 3") < logical.index("website launched 4")
    sources_at = logical.index("Sources")
    assert quote_at < logical.index(HEBREW_LINE.rstrip(".")) < sources_at
    numbers = re.findall(r"^(\d)\. ", logical[sources_at:], re.MULTILINE)
    assert numbers == ["1", "2", "3", "4", "5"]
    assert report.sources[1].url in logical[sources_at:]
    fonts = subprocess.run([_poppler("pdffonts"), str(pdf)], check=True, capture_output=True,
                           text=True).stdout  # fmt: skip
    # Arabic and Hebrew are set in the packaged Noto fonts (Debian fonts-noto-core).
    assert "Noto-Naskh-Arabic" in fonts and "Noto-Sans-Hebrew" in fonts
