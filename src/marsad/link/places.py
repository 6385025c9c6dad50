"""Places in the knowledge base: the gazetteer's `part_of` tree (city -> province -> country).

A place named in a document is context for the places around it: "Jordan" resolves the
ambiguous "عمان" to Amman, "Muscat" resolves it to Oman. So a place's context is every place
it lies in and every place that lies in it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from marsad.store.models import Entity, Relation

PART_OF = "part_of"


def part_of_pairs(session: Session) -> list[tuple[str, str]]:
    """(place, the place it lies in) for every `part_of` relation of the knowledge base."""
    rows = session.execute(
        select(Relation.subject_id, Relation.object_id).where(
            Relation.document_id.is_(None), Relation.predicate == PART_OF
        )
    )
    return [(place, parent) for place, parent in rows]


def _closure(start: str, edges: Mapping[str, set[str]]) -> set[str]:
    found: set[str] = set()
    todo = list(edges.get(start, ()))
    while todo:
        place = todo.pop()
        if place not in found:
            found.add(place)
            todo.extend(edges.get(place, ()))
    return found


def place_neighbourhoods(pairs: Iterable[tuple[str, str]]) -> dict[str, set[str]]:
    """Each place -> the places it lies in and the places that lie in it, at any depth."""
    parents: dict[str, set[str]] = defaultdict(set)
    children: dict[str, set[str]] = defaultdict(set)
    for place, parent in pairs:
        parents[place].add(parent)
        children[parent].add(place)
    return {
        place: _closure(place, parents) | _closure(place, children)
        for place in parents.keys() | children.keys()
    }


def enclosing_places(session: Session, place_id: str) -> list[Entity]:
    """The places `place_id` lies in, nearest first (Baghdad -> Baghdad Governorate, Iraq)."""
    parents: dict[str, set[str]] = defaultdict(set)
    for place, parent in part_of_pairs(session):
        parents[place].add(parent)
    ordered: list[str] = []
    level = sorted(parents.get(place_id, ()))
    while level:
        ordered.extend(p for p in level if p not in ordered)
        level = sorted({up for p in level for up in parents.get(p, ()) if up not in ordered})
    entities = {e.id: e for e in session.scalars(select(Entity).where(Entity.id.in_(ordered)))}
    return [entities[i] for i in ordered if i in entities]
