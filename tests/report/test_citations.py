"""Citation markers are numbered in order of first use; bad and unknown ones are named."""

from __future__ import annotations

import pytest

from marsad.errors import ReportError
from marsad.report.citations import CitationKey, number_citations, split_sentinels


def numbered(markdown: str) -> tuple[str, list[str]]:
    body, numbering = number_citations(markdown)
    marks = "".join(
        piece if not numbers else "^" + ",".join(map(str, numbers))
        for piece, numbers in split_sentinels(body)
    )
    return marks, [str(key) for key in numbering.order]


def test_footnotes_are_numbered_in_order_of_first_use() -> None:
    text, order = numbered("A [@event:7]. B [@doc:3]. C [@event:7]. D [@capture:45].")
    assert text == "A ^1. B ^2. C ^1. D ^3."
    assert order == ["@event:7", "@doc:3", "@capture:45"]


def test_one_marker_may_cite_several_sources() -> None:
    text, order = numbered("Both [@doc:2; @doc:1] and [@doc:1, @event:4].")
    assert text == "Both ^1,2 and ^2,3."
    assert order == ["@doc:2", "@doc:1", "@event:4"]


def test_markers_in_code_are_left_as_they_are() -> None:
    markdown = "Cite `[@doc:1]` like this [@doc:2].\n\n```\n[@doc:3]\n```\n\n    [@doc:4]\n"
    text, order = numbered(markdown)
    assert order == ["@doc:2"]
    assert "`[@doc:1]`" in text and "\n[@doc:3]\n" in text and "    [@doc:4]" in text


def test_a_malformed_marker_is_an_error_naming_it() -> None:
    with pytest.raises(ReportError, match=r"\[@doc:x\], \[@document:5\]"):
        number_citations("See [@doc:x] and [@document:5] and [@doc:1].")


def test_keys_print_as_written() -> None:
    assert str(CitationKey("capture", 45)) == "@capture:45"


def test_a_marker_whose_bracket_is_escaped_is_text() -> None:
    # How captured titles and analysts' notes reach a report: escaped, never citing.
    body, numbering = number_citations(r"Said \[@doc:9\] and \[@nonsense\], cited [@doc:2].")
    assert numbering.order == [CitationKey("doc", 2)]
    assert r"\[@doc:9\]" in body and r"\[@nonsense\]" in body
