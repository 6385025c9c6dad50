"""The alert pages as forms post them: "alert me" fills the form from the search, a rule that
cannot work comes back with its reason, names stay inert text, viewers and forms without the
token are refused, and the inbox marks read and unread."""

from __future__ import annotations

from tests.web.conftest import Signed
from tests.web.corpus import XSS, WebHome

HOOK = "http://127.0.0.1:9/hooks/marsad"


def form(client: Signed, url: str, **fields: object):  # type: ignore[no-untyped-def]
    data = {"csrf_token": client.csrf, **fields}
    return client.client.post(url, data=data, follow_redirects=False)


def test_alert_me_fills_the_form_from_the_search(analyst: Signed, home: WebHome) -> None:
    search = analyst.get("/search", params={"q": "بغداد", "language": "fa"}).text
    assert 'class="alert-me" href="/alerts/new?q=' in search
    page = analyst.get("/alerts/new", params={"q": "بغداد", "language": "fa", "source_id": "1"})
    assert '<textarea name="keywords" rows="2" dir="auto">بغداد</textarea>' in page.text
    assert 'value="fa"' in page.text and '<option value="test pages" selected>' in page.text


def test_a_rule_posted_by_the_form_is_stored_or_refused_with_its_reason(
    analyst: Signed, viewer: Signed
) -> None:
    refused = form(analyst, "/alerts", name="empty", channel="webhook", delivery="immediate",
                   webhook_url=HOOK)  # fmt: skip
    assert refused.status_code == 422 and "at least one condition" in refused.text
    made = form(analyst, "/alerts", name=XSS, keywords="بغداد\nBaghdad", channel="webhook",
                delivery="hourly", webhook_url=HOOK)  # fmt: skip
    assert made.status_code == 200 and 'class="secret"' in made.text  # the secret, once
    assert "<script>" not in made.text and "&lt;script&gt;" in made.text
    assert "keywords=بغداد,Baghdad" in made.text
    assert form(viewer, "/alerts", name="v", keywords="x", channel="webhook",
                webhook_url=HOOK).status_code == 403  # fmt: skip
    no_token = analyst.client.post("/alerts", data={"name": "n", "keywords": "x"})
    assert no_token.status_code == 403


def test_the_inbox_page_marks_read_and_unread(analyst: Signed, home: WebHome) -> None:
    rule = {"name": "english", "conditions": {"languages": ["en"]}, "webhook_url": HOOK}
    assert analyst.send("POST", "/api/v1/alerts", json=rule).status_code == 201
    home.workspace.runner().run(stage_names=["alerts"], force=True)
    item = next(i for i in analyst.get("/api/v1/inbox").json()["items"]
                if i["rule"]["name"] == "english")  # fmt: skip
    page = analyst.get("/inbox").text
    assert f'id="alert-{item["id"]}" class="alert-item unread"' in page
    assert form(analyst, f"/inbox/{item['id']}/read").status_code == 303
    assert f'id="alert-{item["id"]}" class="alert-item read"' in analyst.get("/inbox").text
    assert form(analyst, f"/inbox/{item['id']}/unread").status_code == 303
    assert f'id="alert-{item["id"]}" class="alert-item unread"' in analyst.get("/inbox").text


def test_every_condition_of_a_rule_survives_an_edit_by_the_form(analyst: Signed) -> None:
    """A rule made elsewhere (API, CLI) with flags the form shows as check boxes: the edit
    page shows each one checked, and saving the page unchanged keeps them all."""
    flags = {"first_seen": True, "reappeared": True, "hash_match": True}
    rule = {"name": "بيان مكرر", "conditions": {"keywords": ["بيان"], **flags},
            "webhook_url": HOOK}  # fmt: skip
    made = analyst.send("POST", "/api/v1/alerts", json=rule)
    assert made.status_code == 201, made.text
    rule_id = made.json()["rule"]["id"]
    page = analyst.get(f"/alerts/{rule_id}/edit").text
    for flag in flags:
        assert f'name="{flag}" checked' in page
    saved = form(analyst, f"/alerts/{rule_id}", name="بيان مكرر", keywords="بيان",
                 include_members="on", channel="webhook", delivery="immediate",
                 webhook_url=HOOK, **dict.fromkeys(flags, "on"))  # fmt: skip
    assert saved.status_code == 303
    stored = analyst.get(f"/api/v1/alerts/{rule_id}").json()["conditions"]
    assert {flag: stored[flag] for flag in flags} == flags
