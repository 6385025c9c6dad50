"""The analyst's desk pages: CPU per request of /desk, /inbox, /alerts, /events and an entity
page (the timeline), beside the document page, the issue-17 baseline (budget: document ≤ 2 ms,
search ≤ 4 ms of server CPU).

A fresh SQLite home holds --documents generated Arabic texts over ten sources; a third name a
watched group or one of its three members (relations in the KB), one in five reports an event
(threats among them; dates of day, month and year precision, some undated); the analyst owns
a rule watching the group, with an alert for every fourth document. Each page is fetched
--rounds times through the app in-process (Starlette's TestClient, signed in); the figure is
the process CPU time per request, p50 and p95 ms, which includes the test client's own cost
(the same for every page, so read the pages against the baseline row).

    .venv/bin/python bench/bench_desk.py [--documents 5000] [--rounds 40]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))
sys.path.insert(0, str(Path(__file__).parent))
from fastapi.testclient import TestClient
from tests.alert.store import add_document, add_entity, add_rule, mention, relate
from tests.conftest import make_settings

from bench_search import percentile
from marsad.store.models import AlertDelivery, Event, EventActor, EventSource, utcnow
from marsad.web.accounts import create_user
from marsad.web.app import create_app
from marsad.workspace import Workspace

PASSWORD = "bench passphrase 4 the desk"
GROUP = ("bench-org", "حركة الاختبار")
MEMBERS = [("bench-p1", "سالم الأول"), ("bench-p2", "كريم الثاني"), ("bench-p3", "ماجد الثالث")]
FILLER = [
    "قال",
    "مسؤولون",
    "إن",
    "الاجتماع",
    "بحث",
    "الأوضاع",
    "في",
    "المدينة",
    "وتوزيع",
    "المساعدات",
    "على",
    "العائلات",
]
DATES = [("2021-03-14", "day"), ("2021-04", "month"), ("2020", "year"), (None, None)]


def fill(workspace: Workspace, count: int, rng: random.Random) -> int:
    """The corpus; returns a document id for the baseline page."""
    with workspace.database.session() as session:
        add_entity(session, GROUP[0], "organization", "Bench Movement")
        for member_id, _name in MEMBERS:
            add_entity(session, member_id, "person", member_id)
            relate(session, member_id, "member_of", GROUP[0])
        analyst = create_user(session, "analyst", PASSWORD, "analyst")
        rule = add_rule(session, {"entities": [GROUP[0]]}, name="the group")
        rule.owner_id = analyst.id
        now = utcnow()
        for index in range(count):
            named = [GROUP, *MEMBERS][index % 4] if index % 3 == 0 else None
            words = " ".join(rng.sample(FILLER, 9))
            text = f"{words} {named[1]} {index}" if named else f"{words} {index}"
            document = add_document(session, text, source=f"source {index % 10}",
                                    seen=now - timedelta(hours=index % 200))  # fmt: skip
            if named:
                mention(session, document, named[0], named[1])
            if index % 5 == 0:
                when, precision = DATES[index % 4]
                threat = index % 2 == 1
                severity = "vague" if threat else None
                event = Event(type="threaten" if threat else "meet", date=when,
                              date_precision=precision, severity=severity)  # fmt: skip
                actor = named[0] if named else None
                event.actors.append(EventActor(entity_id=actor, surface=None if actor else "x",
                                               role="actor"))  # fmt: skip
                event.sources.append(EventSource(document_id=document.id, stage="events",
                                                 start=0, end=len(text)))  # fmt: skip
                session.add(event)
            if index % 4 == 0:
                session.add(AlertDelivery(rule_id=rule.id, item_kind="document",
                                          item_id=str(document.id),
                                          payload={"item": {"id": document.id, "title": text[:40]},
                                                   "reasons": []}))  # fmt: skip
        session.flush()
        return int(document.id)


def cpu_ms(client: TestClient, url: str, rounds: int) -> tuple[float, float]:
    client.get(url)  # warm caches (templates, taxonomy)
    spent = []
    for _ in range(rounds):
        began = time.process_time()
        answer = client.get(url)
        spent.append((time.process_time() - began) * 1000)
        assert answer.status_code == 200, (url, answer.status_code)
    return percentile(spent, 0.5), percentile(spent, 0.95)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        settings = make_settings(Path(folder) / "home", f"sqlite:///{folder}/marsad.db")
        workspace, _before, _after = Workspace.initialise(settings)
        document_id = fill(workspace, args.documents, random.Random(17))
        with TestClient(create_app(workspace)) as client:
            signed = client.post("/api/v1/session", json={"username": "analyst",
                                                          "password": PASSWORD})  # fmt: skip
            assert signed.status_code == 200
            pages = {
                "baseline: document page": f"/documents/{document_id}",
                "search page": "/search?q=الاجتماع",
                "desk (what's new)": "/desk",
                "inbox": "/inbox",
                "alert rules": "/alerts",
                "events (timeline, 200)": "/events",
                "entity page (timeline)": f"/entities/{MEMBERS[0][0]}",
                "entity, with co-mentions": f"/entities/{MEMBERS[0][0]}?co_mentions=true",
            }
            print(f"{args.documents} documents, {args.rounds} requests per page, "
                  "process CPU ms per request (p50 / p95):")  # fmt: skip
            for label, url in pages.items():
                if client.get(url).status_code == 404:  # a checkout from before the page
                    print(f"  {label:<26}     n/a")
                    continue
                p50, p95 = cpu_ms(client, url, args.rounds)
                print(f"  {label:<26} {p50:7.1f} / {p95:7.1f}")
        workspace.close()


if __name__ == "__main__":
    main()
