"""Geometry of the entity page's relation graph: the entity in the middle, the entities it is
related to on a circle around it, one labelled curve per relation (curves between the same
two entities bend apart so their labels do not overlap). Templates draw it."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass

from marsad.web.relation_graph import GraphEdge, RelationGraph

SIZE = 520
NODE_RADIUS, CENTER_RADIUS = 9, 16
BEND = 44  # pixels between the curves of one pair
MAX_NODES = 16  # the most related entities shown around the center


@dataclass(frozen=True)
class GraphNode:
    id: str
    name: str
    x: float
    y: float
    r: float
    center: bool


@dataclass(frozen=True)
class LabelledCurve:
    edge: GraphEdge
    path: str  # SVG path data
    label_x: float
    label_y: float


@dataclass(frozen=True)
class RelationChart:
    size: int
    nodes: tuple[GraphNode, ...]
    curves: tuple[LabelledCurve, ...]


def _curve(
    edge: GraphEdge, start: GraphNode, end: GraphNode, bend: float, at: float
) -> LabelledCurve:
    """The curve from `start` to `end` bent sideways by `bend`, its label at `at` (0-1) of
    the way: labels of parallel edges are spread along them as well as apart."""
    dx, dy = end.x - start.x, end.y - start.y
    length = math.hypot(dx, dy) or 1.0
    # Control point: the middle, pushed sideways by `bend`.
    cx = (start.x + end.x) / 2 - dy / length * bend
    cy = (start.y + end.y) / 2 + dx / length * bend

    def towards(node: GraphNode, x: float, y: float) -> tuple[float, float]:
        """Where the curve leaves the node's circle on its way to (x, y)."""
        distance = math.hypot(x - node.x, y - node.y) or 1.0
        return node.x + (x - node.x) / distance * node.r, node.y + (y - node.y) / distance * node.r

    x1, y1 = towards(start, cx, cy)
    x2, y2 = towards(end, cx, cy)
    path = f"M {x1:.1f} {y1:.1f} Q {cx:.1f} {cy:.1f} {x2:.1f} {y2:.1f}"
    a, b, c = (1 - at) ** 2, 2 * (1 - at) * at, at**2
    return LabelledCurve(
        edge, path, round(a * x1 + b * cx + c * x2, 1), round(a * y1 + b * cy + c * y2, 1)
    )


def relation_chart(graph: RelationGraph) -> RelationChart:
    weight: Counter[str] = Counter()
    for edge in graph.edges:
        weight[edge.source] += edge.count
        weight[edge.target] += edge.count
    others = sorted((n for n in graph.names if n != graph.center),
                    key=lambda n: (-weight[n], graph.names[n]))[:MAX_NODES]  # fmt: skip
    middle = SIZE / 2
    radius = middle - 70
    nodes = {graph.center: GraphNode(graph.center, graph.names[graph.center], middle, middle,
                                     CENTER_RADIUS, True)}  # fmt: skip
    for index, node_id in enumerate(others):
        angle = 2 * math.pi * index / len(others) - math.pi / 2
        nodes[node_id] = GraphNode(
            node_id, graph.names[node_id], round(middle + radius * math.cos(angle), 1),
            round(middle + radius * math.sin(angle), 1), NODE_RADIUS, False,
        )  # fmt: skip
    by_pair: dict[tuple[str, ...], list[GraphEdge]] = defaultdict(list)
    for edge in graph.edges:
        if edge.source in nodes and edge.target in nodes:
            by_pair[tuple(sorted((edge.source, edge.target)))].append(edge)
    curves = []
    for (first, _), edges in sorted(by_pair.items()):
        for index, edge in enumerate(edges):
            bend = (index - (len(edges) - 1) / 2) * BEND
            # Bend measured from the pair's first node, whichever way the edge points.
            at = (index + 1) / (len(edges) + 1)
            if edge.source != first:
                bend, at = -bend, 1 - at
            curves.append(_curve(edge, nodes[edge.source], nodes[edge.target], bend, at))
    return RelationChart(SIZE, tuple(nodes.values()), tuple(curves))
