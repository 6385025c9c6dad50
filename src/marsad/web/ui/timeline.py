"""Geometry of the event timeline: each dated event drawn as the span its date covers (a day,
a month, a year wide), labelled with its type and actors, in lanes so nothing overlaps, with
its certainty and evidence quote; undated events kept aside as a list. Templates draw it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from marsad.events.taxonomy import default_taxonomy
from marsad.store.models import Event
from marsad.web.queries import Evidence

WIDTH, MARGIN = 760, 40
QUOTE_BAND = 64  # the strip above the lanes where a hovered or focused event shows its quote
LANE_HEIGHT, MARK_HEIGHT = 22, 12
AXIS_SPACE = 30
CHAR_WIDTH = 6.2  # a label's width, estimated, so a lane keeps room for it
MIN_MARK = 4.0  # a day on a ten-year axis is still a mark one can point at
MAX_LABEL = 48
PRECISIONS = {4: "year", 7: "month", 10: "day"}


@dataclass(frozen=True)
class Span:
    start: date
    end: date  # exclusive


def date_span(partial: str, precision: str | None = None) -> Span | None:
    """The days a partial date covers: "2020" the year, "2020-03" March, "2020-03-15" the
    day (a coarser stated precision widens it: a day written with month precision is its
    month)."""
    parts = partial.split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 and precision != "year" else None
        day = int(parts[2]) if len(parts) > 2 and precision not in ("year", "month") else None
        if month is None:
            return Span(date(year, 1, 1), date(year + 1, 1, 1))
        if day is None:
            following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
            return Span(date(year, month, 1), following)
        start = date(year, month, day)
        return Span(start, date.fromordinal(start.toordinal() + 1))
    except (ValueError, IndexError):
        return None


def precision_of(event: Event) -> str:
    return event.date_precision or PRECISIONS.get(len(event.date or ""), "day")


@dataclass(frozen=True)
class Mark:
    event_id: int
    x: float
    width: float
    y: float  # top of the mark
    label: str  # "Meeting · Akram al-Kaabi"
    when: str  # "2020-01 (month, likely)"
    certainty: str  # certain | likely | possible
    quote: str
    language: str | None
    label_x: float
    label_anchor: str  # start | end: a mark near the right edge has its label on its left

    @property
    def description(self) -> str:
        """What a screen reader says for the mark."""
        return f"{self.label}, {self.when}" + (f": {self.quote}" if self.quote else "")


@dataclass(frozen=True)
class Tick:
    x: float
    label: str
    year: int


@dataclass(frozen=True)
class Aside:
    """An undated event, listed beside the axis."""

    event_id: int
    label: str
    quote: str
    language: str | None


@dataclass(frozen=True)
class Timeline:
    width: int
    height: int
    axis_y: float
    band_height: int
    marks: tuple[Mark, ...]
    ticks: tuple[Tick, ...]
    undated: tuple[Aside, ...]


def event_label(event: Event, names: Mapping[str, str]) -> str:
    kind = default_taxonomy().types.get(event.type)
    actors = [names.get(a.entity_id, a.entity_id) if a.entity_id else (a.surface or "?")
              for a in event.actors]  # fmt: skip
    label = " · ".join([kind.label if kind else event.type, ", ".join(dict.fromkeys(actors))])
    label = label.rstrip(" ·")
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def _when(event: Event, precision: str) -> str:
    certainty = event.date_certainty or "certain"
    return f"{event.date} ({precision}" + ("" if certainty == "certain" else f", {certainty}") + ")"


def event_timeline(
    events: list[Event], names: Mapping[str, str], evidence: Mapping[int, Evidence]
) -> Timeline:
    """The events' timeline. `names`: entity id -> name of their actors; `evidence`: event id
    -> its first quote (`queries.event_evidence`). The events' actors must be loaded."""

    def quote_of(event: Event) -> str:
        found = evidence.get(event.id)
        return found.quote if found else (event.summary or "")

    spans = []
    undated = []
    for event in events:
        span = date_span(event.date, precision_of(event)) if event.date else None
        if span is None:
            undated.append(Aside(event.id, event_label(event, names), quote_of(event),
                                 event.language))  # fmt: skip
        else:
            spans.append((span, event))
    if not spans:
        return Timeline(WIDTH, QUOTE_BAND + AXIS_SPACE, QUOTE_BAND, QUOTE_BAND, (), (),
                        tuple(undated))  # fmt: skip
    first = min(span.start for span, _ in spans).toordinal()
    last = max(span.end for span, _ in spans).toordinal()
    if last - first < 60:  # a short stretch: half a year around it, so marks sit inside
        first, last = first - 90, last + 90
    scale = (WIDTH - 2 * MARGIN) / max(last - first, 1)

    def x_of(day: date) -> float:
        return round(MARGIN + (day.toordinal() - first) * scale, 1)

    lane_ends: list[float] = []  # where each lane is free again (mark and label drawn)
    marks = []
    for span, event in sorted(spans, key=lambda pair: (pair[0].start, -pair[0].end.toordinal(),
                                                        pair[1].id)):  # fmt: skip
        x = x_of(span.start)
        width = max(round(x_of(span.end) - x, 1), MIN_MARK)
        label = event_label(event, names)
        label_width = len(label) * CHAR_WIDTH
        on_left = x + width + 4 + label_width > WIDTH
        start, end = (
            (x - 4 - label_width, x + width) if on_left else (x, x + width + 4 + label_width)
        )
        lane = next((i for i, free in enumerate(lane_ends) if free <= start), len(lane_ends))
        if lane == len(lane_ends):
            lane_ends.append(end)
        lane_ends[lane] = end
        precision = precision_of(event)
        marks.append(
            Mark(event.id, x, width, QUOTE_BAND + 8 + lane * LANE_HEIGHT, label,
                 _when(event, precision), event.date_certainty or "certain", quote_of(event),
                 event.language, x - 4 if on_left else x + width + 4,
                 "end" if on_left else "start")
        )  # fmt: skip
    axis_y = QUOTE_BAND + 8 + len(lane_ends) * LANE_HEIGHT + 4
    years = range(date.fromordinal(first).year, date.fromordinal(last).year + 2)
    ticks = tuple(
        Tick(x_of(date(year, 1, 1)), str(year), year)
        for year in years
        if first <= date(year, 1, 1).toordinal() <= last
    )
    if not ticks:  # a stretch inside one year: its year under its first mark
        ticks = (Tick(marks[0].x, str(spans[0][0].start.year), spans[0][0].start.year),)
    return Timeline(WIDTH, int(axis_y + AXIS_SPACE), axis_y, QUOTE_BAND, tuple(marks), ticks,
                    tuple(undated))  # fmt: skip
