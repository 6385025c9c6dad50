"""Geometry of the server-rendered SVG charts: a story's propagation, removals per platform
(the event timeline is `timeline.py`, the relation graph `relation_chart.py`).
Templates draw them; labels stay escaped text."""

from __future__ import annotations

from dataclasses import dataclass

from marsad.cluster.stories import Story
from marsad.referral.stats import PlatformStats

WIDTH, MARGIN = 760, 40


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
