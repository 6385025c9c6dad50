"""The relations around an entity as labelled edges: the KB's relations and those read in
text ("member of", "leader of"), the events it takes part in, from each actor to the other
participants ("met with", "threatened"), and, on demand, the entities named in the same
documents above a threshold. Built from what the entity page has loaded: no query of its own."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

from marsad.datafiles import DATA_DIR, load_yaml
from marsad.events.taxonomy import default_taxonomy
from marsad.store.models import Entity, Event
from marsad.web.queries import RelationLine

EDGES_FILE = DATA_DIR / "relation_edges.yaml"
RELATION, EVENT, CO_MENTION = "relation", "event", "co-mention"
CO_MENTION_THRESHOLD = 2  # documents shared before a co-mention is drawn


@dataclass(frozen=True)
class GraphEdge:
    source: str  # entity ids; an undirected edge ("met with") keeps them in id order
    target: str
    label: str
    kind: str  # relation | event | co-mention
    count: int  # relations, events or shared documents behind it
    directed: bool


@dataclass(frozen=True)
class RelationGraph:
    center: str
    names: dict[str, str]  # every node's id -> name
    edges: list[GraphEdge]


@cache
def event_verbs() -> dict[str, str]:
    data = load_yaml(EDGES_FILE)
    return {str(code): str(verb) for code, verb in (data.get("event_verbs") or {}).items()}


def _event_pairs(events: Iterable[Event], center: str) -> Counter[tuple[str, str, str, bool]]:
    """(actor, other, verb, directed) for each event the center takes part in."""
    taxonomy, verbs = default_taxonomy(), event_verbs()
    pairs: Counter[tuple[str, str, str, bool]] = Counter()
    for event in events:
        kind = taxonomy.types.get(event.type)
        verb = verbs.get(event.type) or (kind.label.lower() if kind else event.type)
        symmetric = bool(kind and kind.symmetric)
        actors = {a.entity_id for a in event.actors if a.role == "actor" and a.entity_id}
        others = {a.entity_id for a in event.actors if a.role != "actor" and a.entity_id}
        for actor in sorted(actors):
            for other in sorted(others - {actor}):
                if center not in (actor, other):
                    continue
                first, second = sorted((actor, other)) if symmetric else (actor, other)
                pairs[(first, second, verb, not symmetric)] += 1
    return pairs


def relation_graph(
    center: Entity,
    relations: Iterable[RelationLine],
    events: Iterable[Event],
    names: Mapping[str, str],
    co_mentions: Iterable[tuple[Entity, int]] = (),
    threshold: int = CO_MENTION_THRESHOLD,
) -> RelationGraph:
    """The edges touching `center`; `names` names the events' actors (the page has them for
    its timeline), and `co_mentions` (entity, documents shared) are drawn from `threshold`."""
    known = {center.id: center.name, **names}
    counted: Counter[tuple[str, str, str, str, bool]] = Counter()
    for line in relations:
        known[line.subject.id], known[line.object.id] = line.subject.name, line.object.name
        label = line.relation.predicate.replace("_", " ")
        counted[(line.subject.id, line.object.id, label, RELATION, True)] += 1
    for (actor, other, verb, directed), count in _event_pairs(events, center.id).items():
        counted[(actor, other, verb, EVENT, directed)] += count
    for entity, shared in co_mentions:
        if shared >= threshold:
            known[entity.id] = entity.name
            counted[(center.id, entity.id, f"named with ({shared})", CO_MENTION, False)] = shared
    edges = [
        GraphEdge(source, target, label, kind, count, directed)
        for (source, target, label, kind, directed), count in counted.items()
        if source in known and target in known
    ]
    nodes = {center.id} | {e.source for e in edges} | {e.target for e in edges}
    return RelationGraph(center.id, {node: known[node] for node in nodes}, edges)
