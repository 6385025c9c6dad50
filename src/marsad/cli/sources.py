"""`marsad source add|list|enable|disable` and `marsad crawl`: the sources analysts watch."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from marsad.cli.console import console
from marsad.collect.schedule import DEFAULT_EVERY
from marsad.errors import SourceNotFound

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from marsad.collect.crawler import SourceCrawl
    from marsad.store.models import Source
    from marsad.workspace import Workspace

source_app = typer.Typer(help="Sources to watch: add, list, enable, disable.", no_args_is_help=True)


def add(
    kind: Annotated[str, typer.Argument(help="Source kind: web, feed, files, telegram, ...")],
    locator: Annotated[str, typer.Argument(help="URL, path or channel, as the kind expects.")],
    name: Annotated[str, typer.Option("--name", help="A unique name for the source.")],
    every: Annotated[
        str, typer.Option("--every", help="Crawl interval: 30s, 15m, 2h, 1d.")
    ] = DEFAULT_EVERY,
    lang: Annotated[
        str | None, typer.Option("--lang", help="Language hint (ISO 639-1) for short texts.")
    ] = None,
    scope: Annotated[
        str | None,
        typer.Option(
            "--scope",
            help="web: only links under this path prefix (/ar/news/) or matching 're:REGEX'.",
        ),
    ] = None,
    ignore_robots: Annotated[
        bool, typer.Option("--ignore-robots", help="Fetch even what robots.txt disallows.")
    ] = False,
    media: Annotated[
        bool,
        typer.Option(
            "--media", help="web: also capture the pictures and PDFs each page embeds or links."
        ),
    ] = False,
) -> None:
    """Watch a new source; `marsad crawl` collects it every interval."""
    from marsad.collect.source_setup import add_source
    from marsad.workspace import Workspace

    with Workspace.open() as workspace, workspace.database.session() as session:
        source = add_source(session, kind, locator, name, every, lang, scope, ignore_robots, media)
    console.print(f"added {kind} source {name!r}: {source.locator}, every {every}", markup=False)


def _when(moment: Any) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "—"


def list_sources() -> None:
    """The sources, with schedule, last success and error, backoff and capture count."""
    from sqlalchemy import select

    from marsad.collect.crawl_book import CrawlBook
    from marsad.collect.source_setup import captures_per_source
    from marsad.store.models import Source
    from marsad.workspace import Workspace

    with Workspace.open() as workspace, workspace.database.session() as session:
        sources = session.scalars(select(Source).order_by(Source.name)).all()
        counts = captures_per_source(session)
    table = Table(
        "name", "kind", "locator", "every", "enabled", "last success", "last error",
        "backoff until", "captures",
    )  # fmt: skip
    for source in sources:
        book = CrawlBook.of(source)
        table.add_row(
            source.name,
            source.kind,
            source.locator,
            source.schedule or "not watched",
            "yes" if source.enabled else "no",
            _when(source.last_success_at),
            source.last_error or "",
            _when(book.backoff_until),
            str(counts.get(source.id, 0)),
        )
    console.print(table)


def _set_enabled(name: str, enabled: bool) -> None:
    from marsad.workspace import Workspace

    with Workspace.open() as workspace, workspace.database.session() as session:
        source = _named(session, name)
        source.enabled = enabled
    console.print(f"{'enabled' if enabled else 'disabled'} source {name!r}", markup=False)


def _named(session: Session, name: str) -> Source:
    from sqlalchemy import select

    from marsad.store.models import Source

    source = session.scalars(select(Source).where(Source.name == name)).first()
    if source is None:
        raise SourceNotFound(f"no source named {name!r} (see `marsad source list`)")
    return source


def disable(name: Annotated[str, typer.Argument(help="Source name.")]) -> None:
    """Stop crawling a source (its captures stay)."""
    _set_enabled(name, False)


def enable(name: Annotated[str, typer.Argument(help="Source name.")]) -> None:
    """Crawl a disabled source again."""
    _set_enabled(name, True)


class CrawlLines:
    """One line per crawled source (the crawl's progress, readable in a log under --loop)."""

    def crawling(self, source_name: str) -> None:
        pass

    def captured(self, url: str) -> None:
        pass

    def processing(self, documents: int) -> None:
        pass

    def processed(self, document_id: int) -> None:
        pass

    def crawled(self, crawl: SourceCrawl) -> None:
        captures = crawl.captures
        line = (
            f"{crawl.name}: {captures.new_captures} new, {captures.unchanged} unchanged, "
            f"{len(captures.failed_captures)} not captured"
        )
        if crawl.error:
            line += f"; FAILED: {crawl.error}; next try after {_when(crawl.backoff_until)}"
        console.print(line, markup=False)


def _alert_sender(workspace: Workspace) -> Callable[[], None]:
    """A delivery pass for the crawl loop: the alerts its round recorded leave at once; a
    receiver that is down is tried again in a later round, never waited for."""
    from marsad import interrupts
    from marsad.alert.delivery import Deliverer
    from marsad.pipeline.runner import describe_error

    deliverer = Deliverer.from_settings(
        workspace.database, workspace.settings, wait_for_retries=False
    )

    def send() -> None:
        try:
            report = deliverer.deliver()
        except Exception as error:  # sending alerts must never stop the crawling
            if interrupts.received():  # a call the signal cut short: the interrupt's
                raise
            console.print(f"alerts: not delivered: {describe_error(error)}", markup=False)
            return
        if report.delivered or report.dead or report.deferred or report.problems:
            console.print(f"alerts: {report.summary()}", markup=False)

    return send


def crawl(
    source: Annotated[
        list[str] | None, typer.Option("--source", help="Only this source (repeatable).")
    ] = None,
    loop: Annotated[
        bool, typer.Option("--loop", help="Keep crawling as sources fall due (stop: Ctrl-C).")
    ] = False,
    deliver: Annotated[
        bool,
        typer.Option(
            "--deliver/--no-deliver",
            help="With --loop: send due alerts after each round (else `marsad alerts deliver`).",
        ),
    ] = True,
) -> None:
    """Crawl the sources that are due and run every stage on what they yield."""
    from marsad.collect.crawler import Crawler
    from marsad.workspace import Workspace

    with Workspace.open() as workspace:
        crawler = Crawler(workspace, CrawlLines())
        if loop:
            crawler.loop(source, after_round=_alert_sender(workspace) if deliver else None)
            return
        crawls = crawler.crawl_due(source)
    if not crawls:
        console.print("no source is due (see `marsad source list`)")
        return
    new = sum(crawl.captures.new_captures for crawl in crawls)
    unchanged = sum(crawl.captures.unchanged for crawl in crawls)
    failed = sum(len(crawl.captures.failed_captures) for crawl in crawls)
    failing = sum(1 for crawl in crawls if crawl.error)
    console.print(
        f"crawled {len(crawls)} sources: {new} new, {unchanged} unchanged, {failed} not "
        f"captured; {failing} sources failed"
    )
