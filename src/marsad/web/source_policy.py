"""Which sources the web workbench may create.

An admin on the web is not the operator of the host: a `files` source at `/proc/self/environ`
or `$MARSAD_HOME/web-secret` would put host files into the evidence store, where every viewer
can download them. So the web creates network sources freely, and file sources only inside the
import folder the operator named (`MARSAD_WEB_IMPORT_DIR`), never inside MARSAD_HOME. A web
source's scope is a path prefix: a regular expression, which runs on every URL the crawler
meets and can take it exponential time, is the operator's. `marsad source add` on the server
stays unrestricted.
"""

from __future__ import annotations

from pathlib import Path

from marsad.collect.web import SCOPE_REGEX_PREFIX
from marsad.config import Settings
from marsad.errors import SourceRefused
from marsad.preserve.seal import CustodySeal
from marsad.web.settings import IMPORT_DIR

NETWORK_KINDS = frozenset({"web", "feed", "telegram"})
FILE_KINDS = frozenset({"files", "warc", "telegram-export"})


def _import_dir(settings: Settings) -> Path | None:
    raw = settings.value_of(IMPORT_DIR)
    if not raw or not str(raw).strip():
        return None
    return Path(str(raw)).expanduser().resolve()


def web_source_kinds(settings: Settings, installed: list[str]) -> list[str]:
    """The kinds the web form offers: network ones, and file ones when an import folder is set."""
    allowed = NETWORK_KINDS | (FILE_KINDS if _import_dir(settings) else frozenset())
    return [kind for kind in installed if kind in allowed]


def check_web_source(settings: Settings, kind: str, locator: str) -> str:
    """The locator to store for a source added on the web; SourceRefused when it may not be."""
    if kind in NETWORK_KINDS:
        return locator
    if kind not in FILE_KINDS:
        raise SourceRefused(
            f"a {kind!r} source can only be added on the server (marsad source add)"
        )
    folder = _import_dir(settings)
    if folder is None:
        raise SourceRefused(
            f"{kind} sources need an import folder (MARSAD_WEB_IMPORT_DIR) set by the operator"
        )
    if "\x00" in locator:
        raise SourceRefused("the path holds a NUL character")
    # resolve() follows symbolic links and `..`, so the check is on the real place on disk.
    path = Path(locator).expanduser()
    resolved = (folder / path if not path.is_absolute() else path).resolve()
    if not resolved.is_relative_to(folder):
        raise SourceRefused(f"{locator!r} is outside the import folder {str(folder)!r}")
    seal = CustodySeal.for_settings(settings)
    # The home (database, web secret), and the custody anchors wherever the operator put them.
    for protected in (settings.home.resolve(), seal.key_file, seal.checkpoint_file):
        if resolved.is_relative_to(protected) or protected.is_relative_to(resolved):
            raise SourceRefused(f"{locator!r} holds Marsad's own files ({protected.name})")
    return str(resolved)


def check_web_scope(scope: str | None) -> str | None:
    """A scope given on the web: a path prefix; SourceRefused for a regular expression."""
    scope = (scope or "").strip() or None
    if scope and scope.startswith(SCOPE_REGEX_PREFIX):
        raise SourceRefused(
            "a regular-expression scope is set on the server only (marsad source add --scope)"
        )
    return scope
