"""Merging reports of one happening: compatible partial dates, the same people on the same
side (on SQLite and PostgreSQL)."""

from marsad.events.merge import EventMerger, dates_compatible, source_row
from marsad.events.model import CodedActor, CodedEvent, EventDate
from marsad.store.models import Entity
from marsad.workspace import Workspace
from tests.alert.store import add_document


def test_merging_accepts_prefixes_and_close_days_only() -> None:
    assert dates_compatible("2024-03", "text", "2024-03-04", "text")
    assert dates_compatible("2024-03-04", "text", "2024-03-05", "text")
    assert not dates_compatible("2024-03-04", "text", "2024-03-07", "text")
    # A publication-date fallback may lag the happening by a few days.
    assert dates_compatible("2024-03-04", "text", "2024-03-07", "published")
    assert not dates_compatible("2024-03", "text", "2024-04-01", "text")
    assert dates_compatible(None, None, "2024-03-04", "text")


def test_reports_merge_only_with_the_same_people_on_the_same_side(workspace: Workspace) -> None:
    day = EventDate("2024-03-04", "day", "certain")
    with workspace.database.session() as session:
        session.add_all([Entity(id=i, kind="organization", name=i) for i in ("a", "b")])
        document = add_document(session, "a threatened b; a met b")
        merger = EventMerger(session)

        def report(kind: str, actor: str, other: str, role: str) -> int:
            actors = [CodedActor(actor, actor, "actor"), CodedActor(other, other, role)]
            coded = CodedEvent(kind, 0, 10, (0, 1), "en", actors, date=day)
            return merger.add(source_row(document.id, "events", coded)).id

        first = report("threaten", "a", "b", "target")
        assert report("threaten", "a", "b", "target") == first
        assert report("threaten", "b", "a", "target") != first  # the other way round
        meeting = report("meet", "a", "b", "participant")
        assert report("meet", "b", "a", "participant") == meeting  # symmetric


def test_a_report_that_fits_several_events_joins_the_oldest(workspace: Workspace) -> None:
    """A month-precise report fits every event of that month with the same people: it joins
    the first one made, whatever order the database returns candidate events in."""
    with workspace.database.session() as session:
        session.add_all([Entity(id=i, kind="organization", name=i) for i in ("a", "b")])
        document = add_document(session, "a threatened b, again and again")
        merger = EventMerger(session)

        def report(date: EventDate) -> int:
            actors = [CodedActor("a", "a", "actor"), CodedActor("b", "b", "target")]
            coded = CodedEvent("threaten", 0, 10, (0, 1), "en", actors, date=date)
            return merger.add(source_row(document.id, "events", coded)).id

        days = [f"2024-03-{day:02d}" for day in range(1, 29, 4)]
        events = [report(EventDate(day, "day", "certain")) for day in days]
        assert len(set(events)) == len(days)  # four days apart: separate happenings
        assert report(EventDate("2024-03", "month", "certain")) == min(events)


def test_reports_never_chain_into_one_event(workspace: Workspace) -> None:
    """Each report must agree with every source of the event it joins: day 1 and day 2
    merge, but day 3 (close to day 2, not to day 1) starts its own event."""
    with workspace.database.session() as session:
        session.add_all([Entity(id=i, kind="organization", name=i) for i in ("a", "b")])
        document = add_document(session, "a attacked b on three days")
        merger = EventMerger(session)

        def report(day: str) -> int:
            actors = [CodedActor("a", "a", "actor"), CodedActor("b", "b", "target")]
            coded = CodedEvent(
                "attack", 0, 10, (0, 1), "en", actors, date=EventDate(day, "day", "certain")
            )
            return merger.add(source_row(document.id, "events", coded)).id

        first = report("2024-03-01")
        assert report("2024-03-02") == first
        assert report("2024-03-03") != first


def test_attacks_on_different_targets_stay_apart(workspace: Workspace) -> None:
    day = EventDate("2024-03-04", "day", "certain")
    with workspace.database.session() as session:
        session.add_all([Entity(id=i, kind="organization", name=i) for i in ("a", "b", "c")])
        document = add_document(session, "a attacked b; a attacked c")
        merger = EventMerger(session)

        def report(*targets: str) -> int:
            actors = [CodedActor("a", "a", "actor")]
            actors += [CodedActor(t, t, "target") for t in targets]
            coded = CodedEvent("attack", 0, 10, (0, 1), "en", actors, date=day)
            return merger.add(source_row(document.id, "events", coded)).id

        first = report("b")
        assert report("c") != first  # the same attacker, the same day, another target
        assert report("b") == first
        assert report() == first  # a report naming no target may be either: the oldest
