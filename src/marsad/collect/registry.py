"""Which collector handles which source kind.

A kind is one line in `COLLECTORS`. A package outside Marsad adds one through the
`marsad.collectors` entry-point group (name = kind, value = the collector class).
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import entry_points

from marsad.collect.feeds import FeedCollector
from marsad.collect.files import FilesCollector
from marsad.collect.kinds import SourceCollector
from marsad.collect.telegram import TelegramChannelCollector
from marsad.collect.telegram_export import TelegramExportCollector
from marsad.collect.warc import WarcCollector
from marsad.collect.web import WebCollector
from marsad.errors import UnknownSourceKind

COLLECTORS: dict[str, Callable[[], SourceCollector]] = {
    FeedCollector.kind: FeedCollector,
    WebCollector.kind: WebCollector,
    FilesCollector.kind: FilesCollector,
    WarcCollector.kind: WarcCollector,
    TelegramChannelCollector.kind: TelegramChannelCollector,
    TelegramExportCollector.kind: TelegramExportCollector,
}


def installed_collectors() -> dict[str, Callable[[], SourceCollector]]:
    collectors = dict(COLLECTORS)
    for entry_point in entry_points(group="marsad.collectors"):
        collectors.setdefault(entry_point.name, entry_point.load())
    return collectors


def collector_for(kind: str) -> SourceCollector:
    collectors = installed_collectors()
    if kind not in collectors:
        raise UnknownSourceKind(
            f"unknown source kind {kind!r}; installed: {', '.join(sorted(collectors))}"
        )
    return collectors[kind]()
