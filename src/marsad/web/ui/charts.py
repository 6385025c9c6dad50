"""Geometry of the server-rendered SVG charts: an entity's events on a time axis, the network
of entities it appears with, a story's propagation, removals per platform. Templates draw
them; labels stay escaped text."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from marsad.cluster.stories import Story
from marsad.referral.stats import PlatformStats
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


@dataclass(frozen=True)
class Lane:
    y: float
    label: str  # a source (site, channel) or where a forward came from


@dataclass(frozen=True)
class CopyNode:
    x: float
    y: float
    document_id: int | None  # None: the origin is outside the store (a forwarded channel)
    label: str


@dataclass(frozen=True)
class Arrow:
    x1: float
    y1: float
    x2: float
    y2: float
    kind: str  # forward | link


@dataclass(frozen=True)
class PropagationGraph:
    width: int
    height: int
    lanes: tuple[Lane, ...]
    nodes: tuple[CopyNode, ...]
    arrows: tuple[Arrow, ...]


LANE_HEIGHT, LABEL_WIDTH = 34, 170


def propagation_graph(story: Story) -> PropagationGraph:
    """Copies in order of appearance from left to right, one lane per source, and the
    forwards and links between them as arrows."""
    external = [str(e.origin) for e in story.edges if isinstance(e.origin, str)]
    sources = list(dict.fromkeys([*external, *story.sources_in_order]))
    lane_of = {name: 24 + LANE_HEIGHT * index for index, name in enumerate(sources)}
    step = (WIDTH - LABEL_WIDTH - MARGIN) / max(len(story.members), 1)
    nodes: dict[int | str, CopyNode] = {}
    for origin in external:
        nodes[origin] = CopyNode(LABEL_WIDTH, lane_of[origin], None, origin)
    for index, member in enumerate(story.members):
        lane = member.source or member.author or member.url
        nodes[member.document_id] = CopyNode(
            round(LABEL_WIDTH + step * (index + 0.5), 1),
            lane_of[lane],
            member.document_id,
            f"{member.appeared_by:%Y-%m-%d %H:%M} · {member.language or '?'} · {member.url}",
        )
    arrows = tuple(
        Arrow(nodes[e.origin].x, nodes[e.origin].y, nodes[e.document_id].x,
              nodes[e.document_id].y, e.kind)
        for e in story.edges
        if e.origin in nodes and e.document_id in nodes
    )  # fmt: skip
    height = 24 + LANE_HEIGHT * max(len(sources), 1)
    lanes = tuple(Lane(y, name) for name, y in lane_of.items())
    return PropagationGraph(WIDTH, height, lanes, tuple(nodes.values()), arrows)


@dataclass(frozen=True)
class Bar:
    y: float
    width: float
    label: str  # platform
    value: str  # "3/4 removed · median 5.0 h"


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bars: tuple[Bar, ...]


BAR_HEIGHT = 26


def removal_chart(stats: list[PlatformStats]) -> BarChart:
    """One bar per platform: the share of referred items it took down."""
    span = WIDTH - LABEL_WIDTH - 220
    bars = []
    for index, row in enumerate(stats):
        median = f" · median {row.median_hours:.1f} h" if row.median_hours is not None else ""
        bars.append(
            Bar(
                12 + index * BAR_HEIGHT,
                round(span * row.removal_rate, 1),
                row.platform,
                f"{row.removed}/{row.items} removed{median}",
            )
        )
    return BarChart(WIDTH, 24 + BAR_HEIGHT * max(len(stats), 1), tuple(bars))
