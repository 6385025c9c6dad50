"""Laying a document out for reading (direction per paragraph, marks that never overlap) and
the geometry of the SVG charts."""

from __future__ import annotations

from datetime import date

from marsad.store.models import Entity, Event, EventActor, EventSource, Mention
from marsad.web.queries import Evidence
from marsad.web.relation_graph import GraphEdge, RelationGraph
from marsad.web.ui.reading import paragraphs
from marsad.web.ui.relation_chart import relation_chart
from marsad.web.ui.timeline import MARGIN, MIN_MARK, WIDTH, date_span, event_timeline

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


def event(id: int, date: str | None, precision: str | None = None, **fields: object) -> Event:
    made = Event(id=id, type="meet", date=date, date_precision=precision, **fields)
    made.actors = [EventActor(entity_id="test-person-kaabi", role="actor")]
    return made


NAMES = {"test-person-kaabi": "Akram al-Kaabi"}


def test_a_partial_date_covers_its_whole_period() -> None:
    assert date_span("2020-02") == (span := date_span("2020-02-10", "month"))
    assert span is not None and (span.start, span.end) == (date(2020, 2, 1), date(2020, 3, 1))
    assert date_span("2020-12", "month").end == date(2021, 1, 1)  # type: ignore[union-attr]
    assert date_span("2021").end == date(2022, 1, 1)  # type: ignore[union-attr]
    assert date_span("2021-02-30") is None and date_span("soon") is None


def test_marks_span_their_precision_and_carry_type_actors_certainty_and_quote() -> None:
    events = [
        event(1, "2019", "year"),
        event(2, "2021-05", "month", date_certainty="likely"),
        event(3, None, summary="a meeting with no date"),
        event(4, "2021-05-02", "day"),
    ]
    evidence = {2: Evidence(10, "قال إنهم اجتمعوا في أيار")}
    timeline = event_timeline(events, NAMES, evidence)
    marks = {mark.event_id: mark for mark in timeline.marks}
    assert set(marks) == {1, 2, 4}
    # The axis runs from the first day of 2019 to the end of May 2021.
    day_width = (WIDTH - 2 * MARGIN) / (date(2021, 6, 1) - date(2019, 1, 1)).days
    assert abs(marks[2].width - 31 * day_width) < 0.2  # May is 31 days wide
    assert abs(marks[1].width - 365 * day_width) < 0.2
    assert marks[4].width == MIN_MARK < marks[2].width / 5  # a day: as narrow as a mark gets
    assert all(m.x >= MARGIN and m.x + m.width <= WIDTH - MARGIN + 0.5 for m in marks.values())
    assert marks[2].label == "Meeting · Akram al-Kaabi"
    assert marks[2].certainty == "likely" and "2021-05 (month, likely)" in marks[2].description
    assert marks[2].quote == "قال إنهم اجتمعوا في أيار"
    assert marks[2].y != marks[4].y  # May and a day in it overlap: two lanes
    assert [(a.event_id, a.quote) for a in timeline.undated] == [(3, "a meeting with no date")]
    assert [t.label for t in timeline.ticks] == ["2019", "2020", "2021"]
    assert all(m.y + 12 < timeline.axis_y < timeline.height for m in marks.values())
    single = event_timeline([event(5, "2020-01-13")], NAMES, {})
    assert MARGIN < single.marks[0].x < WIDTH - MARGIN and single.undated == ()


def test_the_relation_chart_centres_the_entity_and_bends_parallel_edges_apart() -> None:
    edges = [GraphEdge("a", "b", "leader of", "relation", 1, True),
             GraphEdge("b", "a", "met with", "event", 2, False),
             GraphEdge("a", "c", "threatened", "event", 1, True)]  # fmt: skip
    chart = relation_chart(RelationGraph("a", {"a": "A", "b": "B", "c": "C"}, edges))
    center = chart.nodes[0]
    assert center.center and (center.x, center.y) == (chart.size / 2, chart.size / 2)
    to_b = [(c.label_x, c.label_y) for c in chart.curves if "b" in (c.edge.source, c.edge.target)]
    assert len(to_b) == 2 and to_b[0] != to_b[1]  # two labels between A and B, apart
    assert len(chart.curves) == 3


def test_a_label_that_would_leave_the_chart_is_drawn_left_of_its_mark() -> None:
    timeline = event_timeline([event(1, "2019-01-01"), event(2, "2021-12-31")], NAMES, {})
    first, last = timeline.marks
    assert (first.label_anchor, last.label_anchor) == ("start", "end")
    assert first.label_x > first.x and last.label_x < last.x
