"""A report as one HTML page: Markdown rendered by markdown-it-py, footnote marks linked to
the sources list, every block set in its own direction, the whole body sanitised by nh3."""

from __future__ import annotations

from html import escape

import nh3
from markdown_it.token import Token

from marsad.report.citations import SENTINEL_RUN, mark_numbers, markdown_parser
from marsad.report.model import PreparedReport
from marsad.report.sources import CitedSource
from marsad.text.direction import text_direction

ALLOWED_TAGS = nh3.ALLOWED_TAGS | {"section"}
ALLOWED_ATTRIBUTES = {
    **{tag: set(attributes) for tag, attributes in nh3.ALLOWED_ATTRIBUTES.items()},
    "*": {"dir", "id", "class", "lang"},
}
URL_SCHEMES = {"http", "https", "file", "mailto"}
DIRECTED_BLOCKS = ("paragraph_open", "heading_open", "th_open", "td_open")

# Noto fonts (Debian fonts-noto-core) cover Latin, Arabic script and Hebrew; Pango shapes
# the joining forms and sets the bidi runs. DejaVu is the fallback where Noto is missing.
STYLE = """
@page { size: A4; margin: 2cm 2cm 2.2cm;
        @bottom-center { content: counter(page); font-size: 9pt; } }
body { font-family: "Noto Sans", "Noto Naskh Arabic", "Noto Sans Hebrew", "DejaVu Sans",
       sans-serif; font-size: 11pt; line-height: 1.5; }
[dir=rtl] { font-family: "Noto Naskh Arabic", "Noto Sans Hebrew", "Noto Sans", "DejaVu Sans",
            sans-serif; }
blockquote { margin: 1em 0; padding: 0.2em 1em; border-inline-start: 3px solid #888; color: #222; }
sup.cite { font-size: 0.7em; line-height: 0; }
sup.cite a { text-decoration: none; }
section.sources { font-size: 9pt; border-top: 1px solid #888; margin-top: 2em; }
section.sources code, section.sources a { word-break: break-all; }
"""


def _set_directions(tokens: list[Token]) -> None:
    for index, token in enumerate(tokens[:-1]):
        following = tokens[index + 1]
        if token.type in DIRECTED_BLOCKS and following.type == "inline":
            token.attrSet("dir", text_direction(following.content))


def _footnote_marks(run: str) -> str:
    links = ",".join(f'<a href="#source-{n}">{n}</a>' for n in mark_numbers(run))
    return f'<sup class="cite">{links}</sup>'


def _source_item(source: CitedSource) -> str:
    title = escape(source.title)
    url = escape(source.url, quote=True) if source.url else ""
    link = f' <a class="source-url" href="{url}">{url}</a>.' if url else ""
    captured, sha256, language = source.facts()
    direction = text_direction(source.title)
    return (
        f'<li id="source-{source.number}"><span dir="{direction}">{title}</span>.'
        f"{link} {escape(captured)}; SHA-256 <code>{escape(sha256.split()[-1])}</code>; "
        f"{escape(language)}.</li>"
    )


def body_html(report: PreparedReport) -> str:
    """The sanitised body: the report's Markdown, then the numbered sources."""
    parser = markdown_parser()
    tokens = parser.parse(report.body)
    _set_directions(tokens)
    html = parser.renderer.render(tokens, parser.options, {})
    html = SENTINEL_RUN.sub(lambda match: _footnote_marks(match.group()), html)
    if report.sources:
        items = "".join(_source_item(source) for source in report.sources)
        html += f'<section class="sources"><h2>Sources</h2><ol>{items}</ol></section>'
    return nh3.clean(
        html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
        link_rel=None,
    )  # fmt: skip


def render_html(report: PreparedReport) -> bytes:
    page = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(report.title)}</title><style>{STYLE}</style></head>"
        f"<body>{body_html(report)}</body></html>\n"
    )
    return page.encode("utf-8")
