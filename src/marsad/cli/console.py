"""Shared console helpers for commands."""

from __future__ import annotations

from rich.console import Console
from sqlalchemy.engine import make_url

console = Console(highlight=False, soft_wrap=True)
errors = Console(stderr=True, highlight=False, soft_wrap=True)


def safe_url(database_url: str) -> str:
    """The database URL with any password masked, for printing."""
    return make_url(database_url).render_as_string(hide_password=True)
