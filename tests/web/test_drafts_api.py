"""Report drafts through the JSON API, on SQLite and PostgreSQL: an analyst picks documents,
an event and quotes into a draft, orders and annotates them and downloads the report the CLI
builds; viewers cannot write, nobody writes without the CSRF token, nobody sees another's
draft, and every change is audited."""

from __future__ import annotations

import re

from marsad.report.citations import CitationKey
from marsad.report.sources import resolve_sources
from tests.web.conftest import Signed
from tests.web.corpus import XSS, WebHome

DRAFTS = "/api/v1/drafts"


def new_draft(client: Signed, title: str) -> dict:  # type: ignore[type-arg]
    answer = client.send("POST", DRAFTS, json={"title": title})
    assert answer.status_code == 201, answer.text
    return answer.json()  # type: ignore[no-any-return]


def add(client: Signed, draft: dict, **item: object) -> dict:  # type: ignore[type-arg]
    answer = client.send("POST", f"{DRAFTS}/{draft['id']}/items", json=item)
    assert answer.status_code == 201, answer.text
    return answer.json()  # type: ignore[no-any-return]


def audit_actions(admin: Signed, draft_id: int) -> list[str]:
    rows = admin.get("/api/v1/audit?limit=500").json()["items"]
    return sorted(r["action"] for r in rows if r["target_kind"] == "report"
                  and r["target_id"] == str(draft_id))  # fmt: skip


def test_a_draft_is_composed_ordered_annotated_and_built_as_the_cli_would(
    analyst: Signed, admin: Signed, home: WebHome
) -> None:
    english, farsi = home.documents["en-meeting.html"], home.documents["fa-meeting.html"]
    draft = new_draft(analyst, "Committee meetings")
    add(analyst, draft, kind="document", document_id=english)
    add(analyst, draft, kind="document", document_id=farsi, note="The Farsi report.")
    add(analyst, draft, kind="quote", event_id=home.event_id)
    draft = add(analyst, draft, kind="quote", document_id=english, words="joint committee")
    ids = [item["id"] for item in draft["items"]]
    assert [item["kind"] for item in draft["items"]] == ["document", "document", "quote", "quote"]
    assert draft["items"][2]["document_id"] == home.documents["ar-meeting.html"]

    answer = analyst.send("PUT", f"{DRAFTS}/{draft['id']}/order",
                          json={"item_ids": [ids[2], ids[1], ids[0], ids[3]]})  # fmt: skip
    assert answer.status_code == 200, answer.text
    answer = analyst.send("PATCH", f"{DRAFTS}/{draft['id']}/items/{ids[0]}",
                          json={"note": "See [@doc:999] {{timeline: x}} <b>"})  # fmt: skip
    draft = answer.json()
    assert [item["id"] for item in draft["items"]] == [ids[2], ids[1], ids[0], ids[3]]

    built = analyst.send("POST", f"{DRAFTS}/{draft['id']}/build/md")
    assert built.status_code == 200, built.text
    assert built.headers["content-disposition"] == (
        f'attachment; filename="report-{draft["id"]}.footnoted.md"'
    )
    text = built.text
    # The note is text: its citation is not a footnote, its directive is not expanded.
    assert "999" in text and "timeline" in text
    # Footnotes in the analyst's order: the event's document, the Farsi, the English page.
    with home.workspace.database.session() as session:
        keys = [CitationKey("doc", home.documents["ar-meeting.html"]),
                CitationKey("event", home.event_id), CitationKey("doc", farsi),
                CitationKey("doc", english)]  # fmt: skip
        expected = resolve_sources(session, keys)
    for source in expected:
        assert source.url and source.url in text and (source.sha256 or "?") in text
    urls = re.findall(r"file://\S+?\.html", text)
    assert [u.rsplit("/", 1)[1] for u in dict.fromkeys(urls)] == [
        "ar-meeting.html", "fa-meeting.html", "en-meeting.html"
    ]  # fmt: skip
    assert audit_actions(admin, draft["id"]) == sorted(
        ["report.create", "report.add_item", "report.add_item", "report.add_item",
         "report.add_item", "report.reorder", "report.annotate", "report.build"]
    )  # fmt: skip


def test_viewers_cannot_write_drafts_and_writes_need_the_csrf_token(
    analyst: Signed, viewer: Signed, admin: Signed, home: WebHome
) -> None:
    assert viewer.send("POST", DRAFTS, json={"title": "mine"}).status_code == 403
    draft = new_draft(analyst, "Analyst's own")
    no_token = analyst.client.post(f"{DRAFTS}/{draft['id']}/items",
                                   json={"kind": "event", "event_id": home.event_id})  # fmt: skip
    assert no_token.status_code == 403
    assert "CSRF" in no_token.json()["detail"]
    assert analyst.client.post(f"{DRAFTS}/{draft['id']}/build/pdf").status_code == 403
    # Another user's draft is neither shown nor changed; an admin looks after every draft.
    assert viewer.get(f"{DRAFTS}/{draft['id']}").status_code == 403
    assert viewer.send("DELETE", f"{DRAFTS}/{draft['id']}/items/1").status_code == 403
    assert admin.get(f"{DRAFTS}/{draft['id']}").status_code == 200
    assert draft["id"] not in [d["id"] for d in viewer.get(DRAFTS).json()["items"]]
    assert draft["id"] in [d["id"] for d in analyst.get(DRAFTS).json()["items"]]
    assert audit_actions(admin, draft["id"]) == ["report.create"]


def test_bad_items_are_refused_with_a_reason(analyst: Signed, home: WebHome) -> None:
    draft = new_draft(analyst, "Refusals")
    url = f"{DRAFTS}/{draft['id']}/items"
    english = home.documents["en-meeting.html"]
    for body, status, says in [
        ({"kind": "document", "document_id": 99999}, 404, "no document"),
        ({"kind": "event", "event_id": 99999}, 404, "no event"),
        ({"kind": "quote", "document_id": english, "words": "not in it"}, 422, "no passage"),
        ({"kind": "quote", "document_id": english, "start": 5, "end": 99999}, 422, "passage"),
    ]:
        answer = analyst.send("POST", url, json=body)
        assert answer.status_code == status, answer.text
        assert says in str(answer.json()["detail"])
    reorder = analyst.send("PUT", f"{DRAFTS}/{draft['id']}/order", json={"item_ids": [1]})
    assert reorder.status_code == 422
    assert analyst.send("POST", f"{DRAFTS}/{draft['id']}/build/exe").status_code == 422


def test_captured_markup_is_text_in_the_built_report(analyst: Signed, home: WebHome) -> None:
    draft = new_draft(analyst, f"Markup {XSS}")
    add(analyst, draft, kind="document", document_id=home.documents["xss.html"], note=XSS)
    html = analyst.send("POST", f"{DRAFTS}/{draft['id']}/build/html").text
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_the_drafts_api_is_in_the_openapi_schema(analyst: Signed) -> None:
    paths = analyst.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/drafts", "/api/v1/drafts/{draft_id}/items",
            "/api/v1/drafts/{draft_id}/order",
            "/api/v1/drafts/{draft_id}/build/{output_format}"} <= set(paths)  # fmt: skip
    build = paths["/api/v1/drafts/{draft_id}/build/{output_format}"]["post"]
    assert "application/pdf" in build["responses"]["200"]["content"]
