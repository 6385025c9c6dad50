"""The entity page's relation graph: relations (from the KB and read in text) and the events'
actor/target pairs as labelled edges, co-mentions only above a threshold and on demand; the
data is shaped from what the page loads, in a fixed number of queries."""

from __future__ import annotations

from sqlalchemy.orm import Session

from marsad.store.models import Entity, Event, EventActor, EventSource, Relation
from marsad.web.queries import entity_view
from marsad.web.relation_graph import relation_graph
from marsad.web.ui.pages import names_in
from tests.web.conftest import Signed
from tests.web.corpus import WebHome
from tests.web.test_desk import counted

LEADER, GROUP, CITY = "test-person-beta", "test-org-alpha", "test-place-baghdad"


def add_evidence(session: Session, home: WebHome, copies: int) -> None:
    """`copies` of each: a KB relation, one read in a document, a meeting (symmetric) and a
    threat (actor -> target), between a synthetic leader and group."""
    document = home.documents["en-meeting.html"]
    for _ in range(copies):
        session.add(Relation(subject_id=LEADER, predicate="leader_of", object_id=GROUP))
        session.add(Relation(subject_id=LEADER, predicate="member_of", object_id=GROUP,
                             document_id=document, stage="relations"))  # fmt: skip
        meeting = {LEADER: "actor", GROUP: "participant"}
        threat = {GROUP: "actor", LEADER: "target", CITY: "target"}
        for kind, roles in (("meet", meeting), ("threaten", threat)):
            event = Event(type=kind, language="en")
            event.actors.extend(EventActor(entity_id=e, role=r) for e, r in roles.items())
            event.sources.append(EventSource(document_id=document, stage="events", start=0, end=9))
            session.add(event)
    session.flush()


def graph_of(session: Session, entity_id: str, co_mentions: bool = False, threshold: int = 2):  # type: ignore[no-untyped-def]
    view = entity_view(session, entity_id)
    names = names_in(session, view.events)
    network = view.network if co_mentions else ()
    return relation_graph(view.entity, view.relations, view.events, names, network, threshold)


def test_relations_and_event_pairs_are_labelled_edges_and_queries_stay_fixed(
    home: WebHome,
) -> None:
    database = home.workspace.database
    with database.session() as session:
        session.add_all([Entity(id=LEADER, kind="person", name="Beta Leader"),
                         Entity(id=GROUP, kind="organization", name="Alpha Group")])  # fmt: skip
        session.flush()
        add_evidence(session, home, 1)
    with database.session() as session, counted(database.engine) as few:
        graph = graph_of(session, LEADER)
    edges = {(e.source, e.target, e.label, e.kind, e.directed, e.count) for e in graph.edges}
    assert edges == {
        (LEADER, GROUP, "leader of", "relation", True, 1),
        (LEADER, GROUP, "member of", "relation", True, 1),
        (GROUP, LEADER, "met with", "event", False, 1),  # symmetric: in id order
        (GROUP, LEADER, "threatened", "event", True, 1),
    }  # the threat's other target (the city) does not touch the leader
    assert graph.names == {LEADER: "Beta Leader", GROUP: "Alpha Group"}

    with database.session() as session:
        add_evidence(session, home, 5)
    with database.session() as session, counted(database.engine) as many:
        graph = graph_of(session, LEADER)
    assert {e.count for e in graph.edges} == {6}
    assert len(many) == len(few)


def test_co_mentions_are_drawn_on_demand_from_the_threshold(home: WebHome) -> None:
    with home.workspace.database.session() as session:

        def co_mentions(**shown: object) -> set[tuple[str, str]]:
            graph = graph_of(session, "test-person-kaabi", **shown)  # type: ignore[arg-type]
            return {(e.target, e.label) for e in graph.edges if e.kind == "co-mention"}

        assert co_mentions() == set()
        # Each named with Kaabi in the Arabic, Farsi and English pages.
        assert co_mentions(co_mentions=True, threshold=3) == {
            ("test-org-nujaba", "named with (3)"), ("test-place-baghdad", "named with (3)")
        }  # fmt: skip
        assert co_mentions(co_mentions=True, threshold=4) == set()


def test_the_entity_page_draws_labelled_edges(viewer: Signed) -> None:
    page = viewer.get(f"/entities/{LEADER}").text
    for label in ("leader of ×6", "member of ×6", "met with ×6", "threatened ×6"):
        assert f">{label}</text>" in page
    assert page.count('marker-end="url(#relation-arrow)"') == 3  # met with is undirected
    assert 'class="graph-edge co-mention"' not in page
    assert "Alpha Group <em>threatened</em> Beta Leader" in page
    kaabi = viewer.get("/entities/test-person-kaabi?co_mentions=true").text
    assert kaabi.count('class="graph-edge co-mention"') == 2
    assert "Hide co-mentions" in kaabi
