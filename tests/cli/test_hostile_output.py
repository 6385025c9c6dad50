"""Captured strings print as text (adversarial probe, item 4): Rich markup in a URL or error
cannot break `marsad status` or `source list`, and terminal escape sequences in a source name
or a page never reach the terminal."""

from __future__ import annotations

import pytest

from marsad.cli.console import console, errors, strip_terminal_controls
from tests.cli.test_sources import HTML, RunCommand, run  # noqa: F401 (a fixture)
from tests.webserver import Route, local_site

pytestmark = pytest.mark.adversarial

ESCAPED_NAME = "wire\x1b]0;pwned\x07\x1b[2J\x1b[31m red\x9b1m"
TITLE = (
    "<html><head><title>Title \x1b[8mhidden\x1b[0m [bold]x[/bold]</title></head>"
    "<body><p>ok</p></body></html>"
)


def test_markup_and_escapes_in_captured_strings_print_as_text(
    run: RunCommand,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Wide enough that no table cell wraps the URL (the width a terminal would have decided).
    for shared in (console, errors):
        monkeypatch.setattr(shared, "width", 250)
    page = Route(body=TITLE.encode(), headers=HTML)
    with local_site({"/page": page}) as site:
        broken = site.url("/missing[/bold]page")
        run("source", "add", "web", broken, "--name", "probe")
        run("source", "add", "web", site.url("/page"), "--name", ESCAPED_NAME)
        run("crawl")
    status = run("status")
    assert "source failing probe" in status and "/missing[/bold]page" in status
    listing = run("source", "list")
    assert "/missing[/bold]page" in listing and "HTTP 404" in listing
    shown = run("capture", "show", "2")
    for output in (status, listing, shown):
        assert "\x1b" not in output and "\x9b" not in output and "\x07" not in output
    assert "wire]0;pwned" not in shown and "wire red1m" in shown.replace("\n", "")


def test_terminal_controls_are_stripped_but_text_is_kept() -> None:
    text = "بيان\tرسمي\n\x1b[1;31mred\x1b[0m \x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\"
    assert strip_terminal_controls(text) == "بيان\tرسمي\nred link"
