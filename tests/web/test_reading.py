"""Laying a document out for reading (direction per paragraph, marks that never overlap) and
the geometry of the SVG charts."""

from __future__ import annotations

from marsad.store.models import Entity, Event, EventSource, Mention
from marsad.web.ui.charts import HEIGHT, MARGIN, WIDTH, cooccurrence_network, event_timeline
from marsad.web.ui.reading import paragraphs

MIXED = "بيان الحركة حول الاجتماع\nThe statement was also published in English.\n"
SPANS = [
    {"start": 0, "end": 24, "language": "ar", "confidence": 0.9},
    {"start": 25, "end": 70, "language": "en", "confidence": 0.9},
]


def test_each_paragraph_takes_the_direction_of_its_language_span() -> None:
    laid_out = paragraphs(MIXED, SPANS)
    assert [(p.language, p.direction) for p in laid_out] == [("ar", "rtl"), ("en", "ltr")]
    assert "".join(piece.text for piece in laid_out[0].pieces) == "بيان الحركة حول الاجتماع"


def test_without_spans_the_first_strong_letter_decides() -> None:
    laid_out = paragraphs("«١٢» שלום לכולם\n2020: hello\n", [])
    assert [p.direction for p in laid_out] == ["rtl", "ltr"]


def test_names_win_over_the_event_clause_around_them() -> None:
    entity = Entity(id="test-org", kind="organization", name="The Movement")
    name = Mention(start=5, end=11, entity_id="test-org", verdict=None)
    name.entity = entity
    rejected = Mention(start=12, end=16, entity_id=None, verdict="rejected")
    event = (EventSource(start=0, end=24), Event(id=7, type="meeting"))
    pieces = paragraphs(MIXED, SPANS, [name, rejected], [event])[0].pieces
    kinds = [(piece.kind, piece.text) for piece in pieces]
    assert ("entity", "الحركة") in kinds
    assert all(kind != "candidate" for kind, _ in kinds)  # a rejected name is not marked
    assert "".join(text for _, text in kinds) == "بيان الحركة حول الاجتماع"


def test_timeline_points_stay_inside_the_chart_and_undated_are_counted() -> None:
    events = [
        Event(id=1, type="meeting", date="2019"),
        Event(id=2, type="statement", date="2021-05-02"),
        Event(id=3, type="meeting", date=None),
        Event(id=4, type="meeting", date="2021-05-02"),
    ]
    timeline = event_timeline(events)
    assert timeline.undated == 1 and len(timeline.points) == 3
    assert all(MARGIN <= p.x <= WIDTH - MARGIN and 0 < p.y < HEIGHT for p in timeline.points)
    same_day = [p for p in timeline.points if p.label.startswith("2021-05-02")]
    assert same_day[0].x == same_day[1].x and same_day[0].y != same_day[1].y  # stacked
    assert [t.label for t in timeline.ticks] == ["2020", "2021"]
    single = event_timeline([Event(id=5, type="meeting", date="2020-01-13")])
    assert MARGIN < single.points[0].x < WIDTH - MARGIN


def test_network_puts_the_entity_in_the_middle_and_draws_shared_documents() -> None:
    center = Entity(id="a", kind="person", name="A")
    others = [
        (Entity(id="b", kind="organization", name="B"), 4),
        (Entity(id="c", kind="place", name="C"), 1),
    ]
    network = cooccurrence_network(center, others, [("a", "b", 4), ("a", "c", 1), ("b", "x", 2)])
    assert network.nodes[0].center and network.nodes[0].x == network.size / 2
    assert network.nodes[1].r > network.nodes[2].r
    assert len(network.edges) == 2  # the edge to an entity not drawn is left out
