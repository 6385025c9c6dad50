"""The JSON API against the real app, on SQLite and PostgreSQL: every route answers with what
the store holds, and refuses callers without a session, the permission or the CSRF token."""

from __future__ import annotations

import gzip
import hashlib

import pytest
from fastapi.testclient import TestClient
from warcio.archiveiterator import ArchiveIterator

from marsad.web.app import create_app
from tests.web.conftest import Signed
from tests.web.corpus import WebHome, events_of

READ_ROUTES = [
    "/api/v1/documents", "/api/v1/captures", "/api/v1/entities", "/api/v1/mentions",
    "/api/v1/relations", "/api/v1/events", "/api/v1/timeline", "/api/v1/search?q=x",
    "/api/v1/sources", "/api/v1/review", "/api/v1/alerts", "/api/v1/reports", "/api/v1/session",
]  # fmt: skip
ADMIN_ROUTES = ["/api/v1/users", "/api/v1/audit"]


@pytest.mark.parametrize("route", READ_ROUTES + ADMIN_ROUTES)
def test_every_route_refuses_a_caller_without_a_session(app_client: TestClient, route: str) -> None:
    assert app_client.get(route).status_code == 401


def test_a_viewer_reads_but_may_not_administer(viewer: Signed) -> None:
    for route in READ_ROUTES:
        assert viewer.get(route).status_code == 200, route
    for route in ADMIN_ROUTES:
        assert viewer.get(route).status_code == 403, route


def test_writes_need_the_permission_and_the_csrf_token(
    viewer: Signed, analyst: Signed, admin: Signed
) -> None:
    reject = {"surface": "سالم الزيدي", "kind": "person"}
    assert viewer.send("POST", "/api/v1/review/reject", json=reject).status_code == 403
    no_token = analyst.client.post("/api/v1/review/reject", json=reject)
    assert no_token.status_code == 403 and "CSRF" in no_token.json()["detail"]
    wrong = analyst.client.post(
        "/api/v1/review/reject", json=reject, headers={"X-CSRF-Token": admin.csrf}
    )
    assert wrong.status_code == 403
    source = {"kind": "feed", "locator": "https://news.example/feed", "name": "example feed"}
    assert analyst.send("POST", "/api/v1/sources", json=source).status_code == 403
    assert analyst.send("POST", "/api/v1/users", json={"username": "x1"}).status_code == 403
    assert analyst.send("PATCH", "/api/v1/sources/1", json={"enabled": False}).status_code == 403
    assert viewer.send("PATCH", "/api/v1/users/1", json={"disabled": True}).status_code == 403
    confirm = {"surface": "سالم الزيدي", "kind": "person"}
    assert viewer.send("POST", "/api/v1/review/confirm", json=confirm).status_code == 403


def test_wrong_password_is_refused_and_audited(app_client: TestClient, admin: Signed) -> None:
    answer = app_client.post(
        "/api/v1/session", json={"username": "admin", "password": "not it at all"}
    )
    assert answer.status_code == 401
    actions = [
        row["action"]
        for row in admin.get("/api/v1/audit?action=session.login_failed").json()["items"]
    ]
    assert actions and set(actions) == {"session.login_failed"}


def test_documents_list_filters_and_paginates(viewer: Signed, home: WebHome) -> None:
    page = viewer.get("/api/v1/documents?limit=2").json()
    assert page["total"] == 4 and len(page["items"]) == 2 and page["limit"] == 2
    arabic = viewer.get("/api/v1/documents?language=ar").json()["items"]
    assert [d["id"] for d in arabic] == [home.documents["ar-meeting.html"]]
    naming = viewer.get("/api/v1/documents?entity_id=test-person-kaabi").json()["items"]
    assert {d["id"] for d in naming} == {
        home.documents[n] for n in ("ar-meeting.html", "fa-meeting.html", "en-meeting.html")
    }
    assert viewer.get("/api/v1/documents?limit=0").status_code == 422


def test_document_detail_carries_text_mentions_events_translation_and_capture(
    viewer: Signed, home: WebHome
) -> None:
    document_id = home.documents["ar-meeting.html"]
    detail = viewer.get(f"/api/v1/documents/{document_id}").json()
    surfaces = {m["surface"]: m["entity_id"] for m in detail["mentions"]}
    assert surfaces["أكرم الكعبي"] == "test-person-kaabi"
    assert detail["translations"][0]["target_language"] == "en"
    text = detail["text"]
    by_type = {event["type"]: event for event in detail["events"]}
    assert by_type.pop("meeting") == {
        "event_id": home.event_id, "type": "meeting", "start": 0, "end": 20
    }  # fmt: skip
    # The pipeline's own: the leader who met a delegation (its evidence quotes the sentence),
    # and the secretary-general's words, a speech-only sentence, as his statement.
    assert sorted(by_type) == ["meet", "statement"]
    coded = by_type["meet"]
    assert "التقى" in text[coded["start"] : coded["end"]]
    said = by_type["statement"]
    assert text[said["start"] : said["end"]].startswith("قال الأمين العام")
    assert len(detail["capture"]["sha256"]) == 64
    assert detail["url_first_seen"]["capture_id"] == detail["capture_id"]
    assert detail["language_spans"][0]["language"] == "ar"
    assert viewer.get("/api/v1/documents/999999").status_code == 404


def test_raw_download_is_the_captured_bytes_and_is_audited(
    viewer: Signed, admin: Signed, home: WebHome
) -> None:
    capture = viewer.get(f"/api/v1/documents/{home.documents['xss.html']}").json()["capture"]
    raw = viewer.get(f"/api/v1/captures/{capture['id']}/raw")
    assert raw.status_code == 200
    assert hashlib.sha256(raw.content).hexdigest() == capture["sha256"]
    assert raw.headers["content-disposition"].startswith("attachment")
    assert raw.headers["content-type"] == "application/octet-stream"
    audit = admin.get("/api/v1/audit?action=capture.download_raw").json()["items"]
    assert audit[0]["target_id"] == str(capture["id"])


def test_warc_download_is_one_valid_record_of_the_capture(viewer: Signed, home: WebHome) -> None:
    capture = viewer.get(f"/api/v1/documents/{home.documents['ar-meeting.html']}").json()["capture"]
    answer = viewer.get(f"/api/v1/captures/{capture['id']}/warc")
    assert answer.status_code == 200
    gzip.decompress(answer.content)  # a whole gzip member
    import io

    records = list(ArchiveIterator(io.BytesIO(answer.content)))
    assert len(records) == 1
    assert records[0].rec_headers.get_header("WARC-Record-ID") == capture["warc_record_id"]


def test_a_tampered_blob_key_cannot_reach_outside_the_store(viewer: Signed, home: WebHome) -> None:
    from marsad.store.models import Capture

    with home.workspace.database.session() as session:
        capture = Capture(url="https://x.example/", sha256="a" * 64, blob_key="../../../etc/passwd")
        session.add(capture)
        session.flush()
        capture_id = capture.id
    assert viewer.get(f"/api/v1/captures/{capture_id}/raw").status_code == 404
    assert viewer.get(f"/api/v1/captures/{capture_id}/warc").status_code == 404
    assert viewer.get("/api/v1/captures?failed=false").json()["total"] >= 4


def test_entities_by_name_in_any_script_with_detail_and_network(viewer: Signed) -> None:
    found = viewer.get("/api/v1/entities", params={"name": "اكرم الكعبي"}).json()["items"]
    assert [e["id"] for e in found] == ["test-person-kaabi"]
    detail = viewer.get("/api/v1/entities/test-person-kaabi").json()
    assert {a["name"] for a in detail["aliases"]} >= {"أكرم الكعبي", "اکرم کعبی", "Akram al-Kaabi"}
    assert detail["mention_count"] >= 3
    network = viewer.get("/api/v1/entities/test-person-kaabi/network").json()
    assert {n["entity"]["id"] for n in network["nodes"]} == {
        "test-org-nujaba",
        "test-place-baghdad",
    }
    assert viewer.get("/api/v1/entities/no-such-entity").status_code == 404
    assert (
        viewer.get("/api/v1/entities?kind=place").json()["items"][0]["id"] == "test-place-baghdad"
    )


def test_mentions_relations_events_and_timeline(viewer: Signed, home: WebHome) -> None:
    mentions = viewer.get("/api/v1/mentions?entity_id=test-org-nujaba").json()
    assert mentions["total"] >= 3 and all(
        m["entity_id"] == "test-org-nujaba" for m in mentions["items"]
    )
    relations = viewer.get("/api/v1/relations?entity_id=test-person-kaabi").json()["items"]
    assert all("test-person-kaabi" in (r["subject"]["id"], r["object"]["id"]) for r in relations)
    events = viewer.get("/api/v1/events?entity_id=test-person-kaabi").json()["items"]
    coded = {event.id for event in events_of(home, "test-person-kaabi")}
    assert {e["id"] for e in events} == coded and home.event_id in coded
    assert viewer.get("/api/v1/events?type=attack").json()["total"] == 0
    assert viewer.get(f"/api/v1/events/{home.event_id}").json()["actors"][0]["role"] == "actor"
    periods = {row["period"]: row for row in viewer.get("/api/v1/timeline?by=year").json()}
    assert home.event_id in periods["2020"]["event_ids"]
    assert sum(row["count"] for row in periods.values()) == len(
        [event for event in events_of(home) if event.date]
    )
    assert viewer.get("/api/v1/events/999999").status_code == 404


def test_search_across_alef_forms_with_facets_and_snippet(viewer: Signed, home: WebHome) -> None:
    result = viewer.get("/api/v1/search", params={"q": "اكرم الكعبي"}).json()
    assert [h["document"]["id"] for h in result["hits"]] == [home.documents["ar-meeting.html"]]
    marked = [p["text"] for p in result["hits"][0]["snippet"] if p["matched"]]
    assert marked == ["أكرم", "الكعبي"]  # the document's own spelling, with its hamza
    assert {f["value"] for f in result["facets"]["language"]} == {"ar"}
    assert {f["value"] for f in result["facets"]["entity"]} >= {"test-person-kaabi"}
    assert {"value": "meeting", "label": "meeting", "count": 1} in result["facets"]["event_type"]
    farsi = viewer.get("/api/v1/search", params={"q": "كعبي"}).json()  # Arabic kaf and yeh
    assert [h["document"]["id"] for h in farsi["hits"]] == [home.documents["fa-meeting.html"]]
    everything = viewer.get("/api/v1/search", params={"q": "بغداد"}).json()
    assert everything["total"] == 2
    typed = viewer.get("/api/v1/search", params={"q": "", "event_type": "meeting"}).json()
    assert [h["document"]["id"] for h in typed["hits"]] == [home.documents["ar-meeting.html"]]
    assert (
        viewer.get("/api/v1/search", params={"q": "x", "date_from": "2020-13"}).status_code == 200
    )
    assert (
        viewer.get("/api/v1/search", params={"q": "x", "date_from": "yesterday"}).status_code == 422
    )


def test_review_confirm_adds_the_name_and_audits_it_under_the_analyst(
    analyst: Signed, admin: Signed
) -> None:
    queue = analyst.get("/api/v1/review").json()
    assert queue, "the link stage found no new name"
    name = queue[0]
    answer = analyst.send(
        "POST", "/api/v1/review/confirm",
        json={"surface": name["surface"], "kind": name["kind"], "name": "Salem al-Zaidi"},
    )  # fmt: skip
    assert answer.status_code == 200, answer.text
    entity_id = answer.json()["entity_id"]
    assert admin.get(f"/api/v1/entities/{entity_id}").json()["name"] == "Salem al-Zaidi"
    assert name["key"] not in {n["key"] for n in analyst.get("/api/v1/review").json()}
    audit = admin.get("/api/v1/audit?action=review.confirm").json()["items"][0]
    me = analyst.get("/api/v1/session").json()["user"]
    assert audit["user_id"] == me["id"]
    bad = analyst.send("POST", "/api/v1/review/reject", json={"surface": "123", "kind": "person"})
    assert bad.status_code == 422


def test_sources_add_pause_and_list(admin: Signed) -> None:
    body = {
        "kind": "feed",
        "locator": "https://news.example/rss",
        "name": "news feed",
        "every": "2h",
    }
    created = admin.send("POST", "/api/v1/sources", json=body)
    assert created.status_code == 201, created.text
    source_id = created.json()["id"]
    assert admin.send("POST", "/api/v1/sources", json=body).status_code == 422  # name taken
    assert (
        admin.send(
            "POST", "/api/v1/sources", json={**body, "name": "n2", "kind": "nope"}
        ).status_code
        == 422
    )
    paused = admin.send("PATCH", f"/api/v1/sources/{source_id}", json={"enabled": False}).json()
    assert paused["enabled"] is False
    names = {s["name"]: s for s in admin.get("/api/v1/sources").json()["items"]}
    assert names["news feed"]["enabled"] is False and "test pages" in names
    actions = [a["action"] for a in admin.get("/api/v1/audit").json()["items"]]
    assert "source.add" in actions and "source.pause" in actions


def test_users_add_change_role_and_disable_ends_sessions(admin: Signed, home: WebHome) -> None:
    created = admin.send(
        "POST", "/api/v1/users", json={"username": "reader2", "role": "viewer"}
    ).json()
    password = created["password"]
    assert password and created["user"]["role"] == "viewer"
    client = TestClient(create_app(home.workspace))
    csrf = client.post(
        "/api/v1/session", json={"username": "reader2", "password": password}
    ).json()["csrf_token"]
    assert client.get("/api/v1/documents").status_code == 200
    user_id = created["user"]["id"]
    assert admin.send("PATCH", f"/api/v1/users/{user_id}", json={"role": "boss"}).status_code == 422
    admin.send("PATCH", f"/api/v1/users/{user_id}", json={"disabled": True})
    assert client.get("/api/v1/documents").status_code == 401
    assert csrf
    listed = {u["username"] for u in admin.get("/api/v1/users").json()["items"]}
    assert {"admin", "analyst", "viewer", "reader2"} <= listed


def test_logout_ends_the_session(home: WebHome) -> None:
    from tests.web.conftest import sign_in

    signed = sign_in(home, "viewer")
    assert signed.send("DELETE", "/api/v1/session").status_code == 204
    assert signed.get("/api/v1/documents").status_code == 401


def test_alerts_and_reports_are_empty_lists_until_built(viewer: Signed) -> None:
    for route in ("/api/v1/alerts", "/api/v1/reports"):
        assert viewer.get(route).json() == {"items": [], "total": 0, "limit": 50, "offset": 0}


def test_openapi_schema_lists_every_route(app_client: TestClient) -> None:
    paths = app_client.get("/api/v1/openapi.json").json()["paths"]
    assert {r.split("?")[0] for r in READ_ROUTES + ADMIN_ROUTES} <= set(paths)
    assert "/api/v1/captures/{capture_id}/raw" in paths and "/login" not in paths


def test_a_web_source_added_on_the_web_keeps_its_scope_and_media(admin: Signed) -> None:
    """The options `marsad source add` has for a web source, from the API and the form, shown
    in the list and audited; a regular-expression scope stays the operator's."""
    body = {"kind": "web", "locator": "https://news.example/ar/", "name": "أخبار",
            "scope": "/ar/news/", "media": True}  # fmt: skip
    created = admin.send("POST", "/api/v1/sources", json=body)
    assert created.status_code == 201, created.text
    assert created.json()["options"] == {"path_prefix": "/ar/news/", "media": True}
    regex = {**body, "name": "regex", "scope": "re:/20\\d\\d/"}
    refused = admin.send("POST", "/api/v1/sources", json=regex)
    assert refused.status_code in (403, 422) and "on the server only" in refused.text
    not_web = {"kind": "feed", "locator": "https://news.example/rss", "name": "f", "media": True}
    assert admin.send("POST", "/api/v1/sources", json=not_web).status_code == 422
    form = {"csrf_token": admin.csrf, "kind": "web", "locator": "https://news.example/fa/",
            "name": "form source", "scope": "/fa/", "media": "on"}  # fmt: skip
    assert admin.client.post("/sources", data=form, follow_redirects=False).status_code == 303
    page = admin.get("/sources").text
    assert "under /fa/" in page and "+ media" in page
    added = [a["details"] for a in admin.get("/api/v1/audit").json()["items"]
             if a["action"] == "source.add"]  # fmt: skip
    audited = next(details for details in added if details.get("name") == "form source")
    assert audited["options"] == {"path_prefix": "/fa/", "media": True}
