"""Geometry of the server-rendered SVG charts: an entity's events on a time axis, and the
network of entities it appears with. Templates draw them; labels stay escaped text."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from marsad.store.models import Entity, Event

WIDTH, HEIGHT, MARGIN = 760, 150, 40
NETWORK_SIZE = 420


@dataclass(frozen=True)
class TimelinePoint:
    x: float
    y: float
    event_id: int
    label: str  # "2020-01 · meeting"


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Timeline:
    width: int
    height: int
    axis_y: float
    points: tuple[TimelinePoint, ...]
    ticks: tuple[Tick, ...]
    undated: int


def _as_day(partial: str) -> date | None:
    """The middle-ish day of a partial date: 2020 -> 2020-07-01, 2020-03 -> 2020-03-15."""
    parts = partial.split("-")
    try:
        if len(parts) == 1:
            return date(int(parts[0]), 7, 1)
        if len(parts) == 2:
            return date(int(parts[0]), int(parts[1]), 15)
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None


def event_timeline(events: list[Event]) -> Timeline:
    dated = [(day, event) for event in events if event.date and (day := _as_day(event.date))]
    axis_y = HEIGHT - MARGIN
    if not dated:
        return Timeline(WIDTH, HEIGHT, axis_y, (), (), len(events))
    first = min(day for day, _ in dated).toordinal()
    last = max(day for day, _ in dated).toordinal()
    if last - first < 60:  # a short stretch: half a year around it, so points sit inside
        first, last = first - 90, last + 90
    span = max(last - first, 1)

    def x_of(ordinal: int) -> float:
        return round(MARGIN + (ordinal - first) / span * (WIDTH - 2 * MARGIN), 1)

    stacked: dict[float, int] = {}
    points = []
    for day, event in sorted(dated, key=lambda pair: (pair[0], pair[1].id)):
        x = x_of(day.toordinal())
        level = stacked.get(x, 0)
        stacked[x] = level + 1
        points.append(
            TimelinePoint(
                x, axis_y - 14 - 16 * min(level, 5), event.id, f"{event.date} · {event.type}"
            )
        )
    years = range(date.fromordinal(first).year, date.fromordinal(last).year + 2)
    ticks = tuple(
        Tick(x_of(date(year, 1, 1).toordinal()), str(year))
        for year in years
        if first <= date(year, 1, 1).toordinal() <= last or len(years) <= 2
    )
    ticks = tuple(t for t in ticks if MARGIN <= t.x <= WIDTH - MARGIN) or (
        Tick(points[0].x, points[0].label[:4]),
    )
    return Timeline(WIDTH, HEIGHT, axis_y, tuple(points), ticks, len(events) - len(dated))


@dataclass(frozen=True)
class Node:
    x: float
    y: float
    r: float
    entity: Entity
    shared: int
    center: bool = False


@dataclass(frozen=True)
class Edge:
    x1: float
    y1: float
    x2: float
    y2: float
    width: float


@dataclass(frozen=True)
class Network:
    size: int
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]


def cooccurrence_network(
    center: Entity, others: list[tuple[Entity, int]], edges: list[tuple[str, str, int]]
) -> Network:
    """The entity in the middle, the ones it shares documents with on a circle around it."""
    middle = NETWORK_SIZE / 2
    radius = middle - 60
    most = max((n for _, n in others), default=1)
    nodes = [Node(middle, middle, 16, center, 0, True)]
    for index, (entity, shared) in enumerate(others):
        angle = 2 * math.pi * index / max(len(others), 1) - math.pi / 2
        nodes.append(
            Node(
                round(middle + radius * math.cos(angle), 1),
                round(middle + radius * math.sin(angle), 1),
                round(6 + 8 * shared / most, 1),
                entity,
                shared,
            )
        )
    where = {node.entity.id: node for node in nodes}
    strongest = max((n for _, _, n in edges), default=1)
    lines = tuple(
        Edge(where[a].x, where[a].y, where[b].x, where[b].y, round(1 + 4 * n / strongest, 1))
        for a, b, n in edges
        if a in where and b in where
    )
    return Network(NETWORK_SIZE, tuple(nodes), lines)
