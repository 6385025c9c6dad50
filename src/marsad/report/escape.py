"""Captured strings in Markdown: they stay text whatever a hostile page put in them.

Titles, URLs, quotes and event summaries come from pages Marsad captured; rendered by any
CommonMark renderer, a `<script>` in a title or a `javascript:` URL would become markup.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]{}<>#|!&])")
# CommonMark autolinks end at spaces, controls and angle brackets; percent-encode them.
AUTOLINK_UNSAFE = re.compile(r"[\x00-\x20<>\x7f]")
LINKABLE_SCHEMES = frozenset({"http", "https", "ftp", "file"})


def markdown_text(text: str) -> str:
    """One line of text whose Markdown punctuation and HTML are escaped (newlines folded, so
    a title cannot start a heading or a footnote of its own)."""
    return MARKDOWN_PUNCTUATION.sub(r"\\\1", " ".join(text.split()))


def markdown_url(url: str) -> str:
    """An autolink for web and file URLs; anything else (javascript:, data:) as plain text."""
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        scheme = ""
    if scheme not in LINKABLE_SCHEMES:
        return markdown_text(url)
    return "<" + AUTOLINK_UNSAFE.sub(lambda m: f"%{ord(m.group()):02X}", url) + ">"
