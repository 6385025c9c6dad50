"""A report as Markdown: citations become footnotes `[^N]`, each source a footnote
definition with its title, URL, capture time, SHA-256 and language."""

from __future__ import annotations

from marsad.report.citations import SENTINEL
from marsad.report.escape import markdown_text, markdown_url
from marsad.report.model import PreparedReport
from marsad.report.sources import CitedSource


def footnote_definition(source: CitedSource) -> str:
    url = f" {markdown_url(source.url)}" if source.url else ""
    title = markdown_text(source.title)
    return f"[^{source.number}]: {title}.{url} {'; '.join(source.facts())}."


def render_markdown(report: PreparedReport) -> bytes:
    body = SENTINEL.sub(lambda match: f"[^{match.group(1)}]", report.body).rstrip()
    notes = "\n".join(footnote_definition(source) for source in report.sources)
    return (body + ("\n\n" + notes if notes else "") + "\n").encode("utf-8")
