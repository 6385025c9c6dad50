"""What's new, per user, on SQLite and PostgreSQL: the window since the last visit, the
watched groups (the entities of the user's rules, with members), first appearances only,
threats first; read in a fixed number of queries however much is new (the timeline and the
inbox too)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from sqlalchemy import event, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from marsad.store.models import AlertDelivery, EventActor, User, utcnow
from marsad.web.api.knowledge import event_query
from marsad.web.desk import FIRST_WINDOW, visit_window, whats_new
from marsad.web.watchlists import inbox_entries
from tests.alert.store import add_document, add_event, add_rule, mention
from tests.web.conftest import Signed
from tests.web.corpus import WebHome

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def test_a_visit_shows_what_came_since_the_one_before_and_reloads_keep_the_window() -> None:
    user = User(username="u")
    first = visit_window(user, NOW)
    assert first == NOW - FIRST_WINDOW
    assert visit_window(user, NOW + timedelta(minutes=20)) == first  # a reload, same sitting
    later = NOW + timedelta(hours=5)
    assert visit_window(user, later) == NOW + timedelta(minutes=20)  # the previous visit
    assert user.desk_visited_at == later


def test_the_desk_refuses_strangers_and_reads_as_any_role(
    app_client: object, viewer: Signed
) -> None:
    assert app_client.get("/api/v1/desk").status_code == 401  # type: ignore[attr-defined]
    assert viewer.get("/api/v1/desk").status_code == 200
    assert viewer.get("/api/v1/desk?since=yesterday").status_code == 422
    assert viewer.get("/desk").status_code == 200


def test_watched_groups_narrow_the_news_to_the_texts_naming_them(
    analyst: Signed, viewer: Signed, home: WebHome
) -> None:
    since = "2000-01-01T00:00:00Z"
    everything = viewer.get(f"/api/v1/desk?since={since}").json()
    assert everything["watched"] == []  # no rule: every first appearance
    assert {d["document"]["id"] for d in everything["documents"]} == set(home.documents.values())
    rule = {"name": "the group", "conditions": {"entities": ["test-org-nujaba"]},
            "webhook_url": "http://127.0.0.1:9/hook"}  # fmt: skip
    assert analyst.send("POST", "/api/v1/alerts", json=rule).status_code == 201
    watched = analyst.get(f"/api/v1/desk?since={since}").json()
    # The secretary-general, read in the pages, stands for the group.
    assert {w["id"] for w in watched["watched"]} == {"test-org-nujaba", "test-person-kaabi"}
    documents = {d["document"]["id"]: d for d in watched["documents"]}
    assert home.documents["xss.html"] not in documents
    arabic = documents[home.documents["ar-meeting.html"]]
    assert "النجباء" in arabic["quote"] and arabic["source"] == "test pages"
    assert sum(day["documents"] for day in watched["by_day"]) == len(documents)
    assert analyst.get("/api/v1/desk?since=2999-01-01T00:00:00").json()["documents"] == []


def test_threats_come_first_then_the_newest(home: WebHome, analyst: Signed) -> None:
    with home.workspace.database.session() as session:
        document = add_document(session, "بيان عن الاجتماع في بغداد والتهديد", source="desk test")
        made = []
        for event_type, severity in (("threaten", "vague"), ("meet", None),
                                     ("threaten", "explicit_violence")):  # fmt: skip
            coded = add_event(session, document, event_type, severity)
            coded.actors.append(EventActor(entity_id="test-org-nujaba", role="actor"))
            made.append(coded.id)
    since = (utcnow() - timedelta(minutes=5)).isoformat()
    events = analyst.get("/api/v1/desk", params={"since": since}).json()["events"]
    order = [e["event"]["id"] for e in events if e["event"]["id"] in made]
    assert order == [made[2], made[0], made[1]]  # explicit violence, vague, then the meeting


@contextmanager
def counted(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def add_news(session: Session, how_many: int) -> None:
    """Texts naming the group, each with a threat it reports, and alerts about them."""
    rule = add_rule(session, {"keywords": ["الحركة"]}, name="n+1")
    rule.owner_id = session.scalars(select(User.id).where(User.username == "analyst")).one()
    for index in range(how_many):
        text = f"قالت حركة النجباء في البيان رقم {index} إن الحركة ستواصل عملها"
        document = add_document(session, text, source=f"source {index}", seen=utcnow())
        mention(session, document, "test-org-nujaba", "حركة النجباء")
        threat = add_event(session, document, "threaten", "vague")
        threat.date, threat.date_precision = f"2021-{index % 12 + 1:02d}", "month"
        threat.actors.append(EventActor(entity_id="test-org-nujaba", role="actor"))
        session.add(AlertDelivery(rule_id=rule.id, item_kind="document", item_id=str(document.id),
                                  payload={"item": {"id": document.id}}))  # fmt: skip
    session.flush()


def queries_to_read(home: WebHome) -> tuple[int, int, int]:
    """Statements each read takes, each in a unit of work of its own (nothing loaded before)."""
    from marsad.web.ui.pages import timeline_of

    database = home.workspace.database
    with database.session() as session:
        analyst_id = session.scalars(select(User.id).where(User.username == "analyst")).one()
    with database.session() as session, counted(database.engine) as desk:
        whats_new(session, analyst_id, utcnow() - timedelta(days=1))
    with database.session() as session:
        events = list(session.scalars(event_query(None, None, None, None, session)))
        with counted(database.engine) as timeline:
            timeline_of(session, events)
    with database.session() as session:
        analyst = session.get_one(User, analyst_id)
        with counted(database.engine) as inbox:
            inbox_entries(session, analyst, False, 50, 0)
    return len(desk), len(timeline), len(inbox)


def test_pages_read_in_a_fixed_number_of_queries(home: WebHome) -> None:
    with home.workspace.database.session() as session:
        add_news(session, 2)
    few = queries_to_read(home)
    with home.workspace.database.session() as session:
        add_news(session, 12)
    assert queries_to_read(home) == few
