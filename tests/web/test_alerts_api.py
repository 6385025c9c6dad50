"""Alert rules and the inbox through the JSON API, on SQLite and PostgreSQL: rules made from a
search or from conditions, changed and paused by their owner (or an admin), refused to viewers,
without the CSRF token and with a reason when they cannot work; every change audited without
the webhook secret; the inbox holds what the `alerts` stage matched for the caller's rules."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from marsad.store.models import AlertDelivery, AlertRule
from tests.web.conftest import Signed
from tests.web.corpus import WebHome

HOOK = "http://127.0.0.1:9/hooks/marsad"


def add_rule(client: Signed, **body: object) -> dict:  # type: ignore[type-arg]
    answer = client.send("POST", "/api/v1/alerts", json={"webhook_url": HOOK, **body})
    assert answer.status_code == 201, answer.text
    return answer.json()  # type: ignore[no-any-return]


def audit_rows(admin: Signed, action: str) -> list[dict]:  # type: ignore[type-arg]
    return admin.get(f"/api/v1/audit?action={action}").json()["items"]  # type: ignore[no-any-return]


def test_a_search_becomes_a_rule_and_its_secret_is_shown_once(
    analyst: Signed, admin: Signed, home: WebHome
) -> None:
    search = {"q": "  اكرم   الكعبي ", "language": "ar", "entity_id": "test-person-kaabi"}
    created = add_rule(analyst, name="Kaabi in Arabic", from_search=search)
    rule = created["rule"]
    assert rule["conditions"]["keywords"] == ["اكرم الكعبي"]
    assert rule["conditions"]["languages"] == ["ar"]
    assert rule["conditions"]["entities"] == ["test-person-kaabi"]
    assert rule["target"] == {"url": HOOK} and rule["enabled"] is True
    assert len(created["secret"]) == 64
    detail = analyst.get(f"/api/v1/alerts/{rule['id']}").json()
    assert created["secret"] not in str(detail)
    (row,) = [r for r in audit_rows(admin, "alerts.add") if r["target_id"] == str(rule["id"])]
    assert row["details"]["config"] == {"url": HOOK}
    assert created["secret"] not in str(row)
    mine = analyst.get("/api/v1/alerts?mine=true").json()["items"]
    assert rule["id"] in [r["id"] for r in mine]
    assert rule["id"] not in [
        r["id"] for r in admin.get("/api/v1/alerts?mine=true").json()["items"]
    ]


def test_entities_are_named_in_any_script_and_stored_by_id(analyst: Signed) -> None:
    rule = add_rule(analyst, name="Nujaba", conditions={"entities": ["جنبش نجباء"]})["rule"]
    assert rule["conditions"]["entities"] == ["test-org-nujaba"]


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"name": "nothing", "conditions": {}}, "at least one condition"),
        ({"name": "nowhere"}, "conditions"),
        ({"name": "ghost", "conditions": {"entities": ["Nobody Anywhere"]}}, "no entity"),
        ({"name": "ftp", "conditions": {"keywords": ["x"]}, "webhook_url": "ftp://h/"}, "http"),
        ({"name": "when", "conditions": {"keywords": ["x"]}, "delivery": "weekly"}, "weekly"),
        ({"name": "mail", "conditions": {"keywords": ["x"]}, "channel": "email"}, "recipient"),
        # Tatweel and a fatha: nothing is left to find once normalised.
        ({"name": "marks", "conditions": {"keywords": ["ـــَ"]}}, "no letter or digit"),
    ],
)
def test_a_rule_that_cannot_work_is_refused_with_the_reason(
    analyst: Signed,
    body: dict,
    says: str,  # type: ignore[type-arg]
) -> None:
    answer = analyst.send("POST", "/api/v1/alerts", json={"webhook_url": HOOK, **body})
    assert answer.status_code == 422 and says in answer.text


def test_viewers_other_users_and_requests_without_the_token_are_refused(
    analyst: Signed, viewer: Signed, admin: Signed
) -> None:
    body = {"name": "x", "conditions": {"keywords": ["x"]}, "webhook_url": HOOK}
    assert viewer.send("POST", "/api/v1/alerts", json=body).status_code == 403
    no_token = analyst.client.post("/api/v1/alerts", json=body)
    assert no_token.status_code == 403 and "CSRF" in no_token.text
    rule = add_rule(analyst, name="private", conditions={"keywords": ["بغداد"]})["rule"]
    assert viewer.get(f"/api/v1/alerts/{rule['id']}").status_code == 403
    assert (
        viewer.send("PATCH", f"/api/v1/alerts/{rule['id']}", json={"enabled": False}).status_code
        == 403
    )
    assert (
        analyst.client.patch(f"/api/v1/alerts/{rule['id']}", json={"enabled": False}).status_code
        == 403
    )
    # An admin looks after everybody's rules.
    assert (
        admin.send("PATCH", f"/api/v1/alerts/{rule['id']}", json={"enabled": False}).json()[
            "enabled"
        ]
        is False
    )
    assert viewer.get("/api/v1/alerts/999999").status_code in (403, 404)


def test_pausing_and_editing_are_audited_and_an_edit_keeps_the_secret(
    analyst: Signed, admin: Signed, home: WebHome
) -> None:
    created = add_rule(analyst, name="edit me", conditions={"keywords": ["بغداد"]})
    rule_id = created["rule"]["id"]
    paused = analyst.send("PATCH", f"/api/v1/alerts/{rule_id}", json={"enabled": False}).json()
    assert paused["enabled"] is False
    assert str(rule_id) in [r["target_id"] for r in audit_rows(admin, "alerts.disable")]
    change = {"name": "edited", "conditions": {"keywords": ["Baghdad"], "languages": ["en"]},
              "delivery": "daily", "webhook_url": HOOK + "/2"}  # fmt: skip
    edited = analyst.send("PATCH", f"/api/v1/alerts/{rule_id}", json={"rule": change}).json()
    assert edited["name"] == "edited" and edited["delivery"] == "daily"
    assert (
        edited["conditions"]["keywords"] == ["Baghdad"] and edited["target"]["url"] == HOOK + "/2"
    )
    assert str(rule_id) in [r["target_id"] for r in audit_rows(admin, "alerts.change")]
    with home.workspace.database.session() as session:
        assert session.get_one(AlertRule, rule_id).channel_config["secret"] == created["secret"]
    refused = analyst.send(
        "PATCH",
        f"/api/v1/alerts/{rule_id}",
        json={"rule": {**change, "name": "x", "conditions": {}}},
    )
    assert refused.status_code == 422
    assert analyst.get(f"/api/v1/alerts/{rule_id}").json()["name"] == "edited"


def test_the_inbox_holds_what_the_stage_matched_for_the_callers_rules(
    analyst: Signed, admin: Signed, viewer: Signed, home: WebHome
) -> None:
    farsi = {"keywords": ["بغداد"], "languages": ["fa"]}
    rule = add_rule(analyst, name="Baghdad in Farsi", conditions=farsi)["rule"]
    home.workspace.runner().run(stage_names=["alerts"], force=True)
    inbox = analyst.get("/api/v1/inbox").json()
    mine = [item for item in inbox["items"] if item["rule"]["id"] == rule["id"]]
    assert [item["document_id"] for item in mine] == [home.documents["fa-meeting.html"]]
    (item,) = mine
    assert item["read"] is False and item["item"]["language"] == "fa"
    assert {reason["condition"] for reason in item["reasons"]} == {"keyword", "language"}
    assert inbox["unread"] >= 1
    # Nobody else sees it, nor can mark it.
    assert rule["id"] not in [i["rule"]["id"] for i in admin.get("/api/v1/inbox").json()["items"]]
    assert viewer.send("PATCH", f"/api/v1/inbox/{item['id']}", json={"read": True}).json() == {
        "changed": 0
    }
    assert (
        analyst.client.patch(f"/api/v1/inbox/{item['id']}", json={"read": True}).status_code == 403
    )
    assert analyst.send("PATCH", f"/api/v1/inbox/{item['id']}", json={"read": True}).json() == {
        "changed": 1
    }
    unread = analyst.get("/api/v1/inbox?unread=true").json()
    assert item["id"] not in [i["id"] for i in unread["items"]]
    assert unread["unread"] == inbox["unread"] - 1
    assert analyst.send("POST", "/api/v1/inbox/read", json={"read": True}).status_code == 200
    assert analyst.get("/api/v1/inbox").json()["unread"] == 0
    with home.workspace.database.session() as session:
        delivery = session.get_one(AlertDelivery, item["id"])
        assert delivery.read_at is not None and delivery.status == "pending"
        assert session.scalars(select(AlertRule.owner_id).where(AlertRule.id == rule["id"])).one()
