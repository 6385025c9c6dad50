"""The backend interface and the registry of installed backends.

A backend translates batches of segments (sentences whose names and dates are already
placeholders, see protect.py) from one language into another. Backends register through the
`marsad.translators` entry-point group — the built-in ones exactly like a third-party package
would — as a factory taking the settings.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from importlib.metadata import entry_points
from typing import Protocol, runtime_checkable

from marsad.config import Settings
from marsad.errors import UnknownTranslationBackend

ENTRY_POINT_GROUP = "marsad.translators"


@runtime_checkable
class TranslationBackend(Protocol):
    """What the translator needs from a backend."""

    # Stored on every translation and part of the cache key.
    name: str
    # Changes whenever the same input may translate differently (model, glossary, prompt).
    version: str
    # Worth caching: slow, paid or remote backends. The gloss backend recomputes faster.
    cacheable: bool

    def translate_batch(
        self, segments: Sequence[str], source_language: str, target_language: str
    ) -> list[str]:
        """One translation per segment, in order. Raises a TranslationError subclass."""
        ...


BackendFactory = Callable[[Settings], TranslationBackend]


def installed_backends() -> dict[str, BackendFactory]:
    return {point.name: point.load() for point in entry_points(group=ENTRY_POINT_GROUP)}


def create_backend(name: str, settings: Settings) -> TranslationBackend:
    factories = installed_backends()
    try:
        factory = factories[name]
    except KeyError:
        known = ", ".join(sorted(factories)) or "none"
        raise UnknownTranslationBackend(
            f"no translation backend named {name!r} (installed: {known})"
        ) from None
    return factory(settings)
