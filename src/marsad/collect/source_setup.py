"""Adding and listing watched sources: what `marsad source add|list` and the web workbench share."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from marsad.collect.page_media import MEDIA_OPTION
from marsad.collect.registry import installed_collectors
from marsad.collect.schedule import parse_interval
from marsad.collect.web import scope_options
from marsad.errors import ConfigError, SourceExists, UnknownSourceKind
from marsad.pipeline.ingest import check_source_fields, is_web_url
from marsad.store.models import Capture, Source

URL_KINDS = ("web", "feed")
PATH_KINDS = ("files", "warc")


def _locator(kind: str, locator: str) -> str:
    if kind in URL_KINDS and not is_web_url(locator):
        raise ConfigError(f"a {kind} source needs an http(s) URL, not {locator!r}")
    if kind in PATH_KINDS:
        return str(Path(locator).expanduser().resolve())
    return locator


def _options(kind: str, scope: str | None, ignore_robots: bool, media: bool) -> dict[str, Any]:
    if scope and kind != "web":
        raise ConfigError("--scope applies to web sources only")
    if media and kind != "web":
        raise ConfigError("--media applies to web sources only (telegram sources capture photos)")
    try:
        options: dict[str, Any] = dict(scope_options(scope))
    except ValueError as error:
        raise ConfigError(str(error)) from None
    if ignore_robots:
        options["ignore_robots"] = True
    if media:
        options[MEDIA_OPTION] = True
    return options


def add_source(
    session: Session,
    kind: str,
    locator: str,
    name: str,
    every: str,
    language: str | None = None,
    scope: str | None = None,
    ignore_robots: bool = False,
    media: bool = False,
) -> Source:
    """Check and add a source (enabled; crawled every `every`)."""
    check_source_fields(name, language)
    if kind not in installed_collectors():
        known = ", ".join(sorted(installed_collectors()))
        raise UnknownSourceKind(f"unknown source kind {kind!r}; installed: {known}")
    parse_interval(every)
    source = Source(
        name=name,
        kind=kind,
        locator=_locator(kind, locator),
        language_hint=language,
        schedule=every.strip(),
        enabled=True,
        state={"options": _options(kind, scope, ignore_robots, media)},
    )
    if session.scalars(select(Source.id).where(Source.name == name)).first() is not None:
        raise SourceExists(f"a source named {name!r} exists already")
    session.add(source)
    session.flush()
    return source


def captures_per_source(session: Session) -> dict[int | None, int]:
    """Successful captures of each source (by source id)."""
    query = (
        select(Capture.source_id, func.count())
        .where(Capture.error.is_(None))
        .group_by(Capture.source_id)
    )
    return {source_id: count for source_id, count in session.execute(query)}
