"""Pages nested deeper than libxml2's default limit (255 elements).

Browsers render any depth; libxml2 stops building the tree at 255 levels unless asked for a
"huge" tree (then 2048), and trafilatura's own parser does not ask, so a page wrapped in 255
`<div>`s came out with no text at all. Such pages are parsed again with the huge-tree limit;
past even that, the page's text is read with the standard library's tokenizer, which keeps no
tree and so has no depth to exceed.
"""

from __future__ import annotations

from html.parser import HTMLParser as Tokenizer

from lxml import etree
from lxml.html import HtmlElement, HTMLParser, document_fromstring

# trafilatura's parser settings, with the deeper limit.
DEEP_PARSER = HTMLParser(
    collect_ids=False,
    default_doctype=False,
    remove_comments=True,
    remove_pis=True,
    huge_tree=True,
)
HUGE_TREE_DEPTH = 2047  # the deepest an element gets with huge_tree (libxml2 2.9+)
SKIPPED = frozenset({"script", "style", "template", "noscript", "head"})
BLOCKS = frozenset(
    {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "article", "section"}
)


def parse_deep(html: str) -> HtmlElement | None:
    """The page's tree, or None when nothing in it parses as markup."""
    try:
        return document_fromstring(html, parser=DEEP_PARSER)
    except (etree.ParserError, ValueError):
        return None


def depth_capped(tree: HtmlElement) -> bool:
    """Whether the parser reached its limit somewhere (and dropped what lay below)."""
    return any(
        sum(1 for _ in element.iterancestors()) >= HUGE_TREE_DEPTH
        for element in tree.iter()
        if len(element) == 0
    )


class _TextCollector(Tokenizer):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skipping = 0
        self.pieces: list[str] = []

    def handle_starttag(self, tag: str, _attrs: object) -> None:
        if tag in SKIPPED:
            self.skipping += 1
        elif tag in BLOCKS:
            self.pieces.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in BLOCKS:
            self.pieces.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.pieces.append(data)


def tokenized_text(html: str) -> str:
    """The page's visible text, paragraph by paragraph, read without building a tree."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    lines = (" ".join(line.split()) for line in "".join(collector.pieces).split("\n"))
    return "\n".join(line for line in lines if line)
