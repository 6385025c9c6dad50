"""Shared console helpers for commands.

Much of what commands print was captured from hostile sites and channels: URLs, titles, error
texts, source names. The consoles therefore read no Rich markup unless a line asks for it
(`markup=True`, with its captured parts passed through `escape`), and every string they print
loses its terminal control sequences first, so a page cannot restyle, move or hide output.
"""

from __future__ import annotations

import re
from typing import Any

from rich.console import Console
from rich.markup import escape as escape_markup
from rich.text import Text

# ESC-introduced sequences (CSI, OSC, DCS ... up to their terminator), lone C0/C1 controls but
# tab and newline, and DEL.
TERMINAL_CONTROLS = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, erase
    r"|\x1b[\]PX^_].*?(?:\x07|\x1b\\|\x9c|$)"  # OSC/DCS/SOS/PM/APC strings (titles, links)
    r"|\x1b[ -/]*[0-~]?"  # other escapes
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]",
    re.DOTALL,
)


def strip_terminal_controls(text: str) -> str:
    return TERMINAL_CONTROLS.sub("", text)


def escape(text: object) -> str:
    """A captured value inside a line printed with markup=True."""
    return escape_markup(strip_terminal_controls(str(text)))


class SafeConsole(Console):
    """A Rich console whose strings lose terminal control sequences before rendering."""

    def render_str(self, text: str, **kwargs: Any) -> Text:
        return super().render_str(strip_terminal_controls(text), **kwargs)


console = SafeConsole(highlight=False, soft_wrap=True, markup=False)
errors = SafeConsole(stderr=True, highlight=False, soft_wrap=True, markup=False)


def safe_url(database_url: str) -> str:
    """The database URL with any password masked, for printing."""
    from sqlalchemy.engine import make_url  # SQLAlchemy only for commands that use a database

    return make_url(database_url).render_as_string(hide_password=True)
