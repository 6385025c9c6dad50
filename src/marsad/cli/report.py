"""`marsad report build FILE --format html|pdf|docx|md [-o OUT]`."""

from __future__ import annotations

import typer

report_app = typer.Typer(help="Analyst reports with numbered footnotes to archived evidence.")


def build() -> None:
    """Placeholder replaced below."""
