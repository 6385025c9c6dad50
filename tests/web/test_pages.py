"""The pages through the real app: sign-in with its CSRF token, no open redirect, every form
write refused without the session's token, security headers, and captured text escaped."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select

from marsad.store.models import Source
from marsad.web.app import create_app
from tests.web.conftest import Signed
from tests.web.corpus import PASSWORDS, XSS, WebHome


def login_token(client: TestClient, path: str = "/login") -> str:
    page = client.get(path)
    match = re.search(r'name="login_token" value="([^"]+)"', page.text)
    assert match, page.text
    return match.group(1)


def test_pages_redirect_to_sign_in_and_back_only_to_this_site(home: WebHome) -> None:
    client = TestClient(create_app(home.workspace), follow_redirects=False)
    answer = client.get("/entities/test-person-kaabi")
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login?next=")
    token = login_token(client)
    form = {"username": "viewer", "password": PASSWORDS["viewer"]}
    signed = client.post("/login", data={**form, "login_token": token, "next": "//evil.example/x"})
    assert signed.status_code == 303 and signed.headers["location"] == "/search"
    assert "httponly" in signed.headers["set-cookie"].lower()
    assert "samesite=lax" in signed.headers["set-cookie"].lower()


def test_sign_in_form_needs_its_token(home: WebHome) -> None:
    client = TestClient(create_app(home.workspace), follow_redirects=False)
    forged = client.post(
        "/login",
        data={"username": "admin", "password": PASSWORDS["admin"], "login_token": "forged"},
    )
    assert forged.status_code == 403 and "marsad_session" not in forged.headers.get(
        "set-cookie", ""
    )
    token = login_token(client)
    wrong = client.post(
        "/login", data={"username": "admin", "password": "nope-nope-nope", "login_token": token}
    )
    assert wrong.status_code == 401


def test_form_writes_without_the_csrf_token_are_refused(analyst: Signed, admin: Signed) -> None:
    assert (
        analyst.client.post(
            "/review/reject", data={"surface": "سالم", "kind": "person"}
        ).status_code
        == 403
    )
    assert (
        admin.client.post(
            "/sources", data={"kind": "feed", "locator": "https://a.example/", "name": "no token"}
        ).status_code
        == 403
    )
    cross = admin.client.post(
        "/review/reject",
        headers={"Origin": "https://evil.example", "X-CSRF-Token": admin.csrf},
        data={"surface": "x"},
    )
    assert cross.status_code == 403


def test_roles_gate_the_admin_pages(viewer: Signed, admin: Signed) -> None:
    assert viewer.get("/audit").status_code == 403 and viewer.get("/users").status_code == 403
    audit = admin.get("/audit")
    assert audit.status_code == 200 and "session.login" in audit.text


def test_every_page_sends_the_security_headers(viewer: Signed) -> None:
    headers = viewer.get("/search").headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert "unsafe-inline" not in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY" and headers["x-content-type-options"] == "nosniff"


def test_stored_xss_is_escaped_on_every_page_that_shows_it(viewer: Signed, home: WebHome) -> None:
    document_id = home.documents["xss.html"]
    for url in (f"/documents/{document_id}", "/search?q=bulletin", "/search"):
        html = viewer.get(url).text
        assert "<script>document.title" not in html and "<img src=x" not in html, url
        assert "&lt;script&gt;document.title" in html, url
    sanitised = viewer.get(f"/documents/{document_id}/page").text
    assert "<script>document.title" not in sanitised and "<img" not in sanitised
    assert "&lt;script&gt;document.title" in sanitised  # the payload survives as text
    assert XSS not in sanitised


def test_document_page_reads_right_to_left_with_linked_entities(
    viewer: Signed, home: WebHome
) -> None:
    html = viewer.get(f"/documents/{home.documents['ar-meeting.html']}").text
    assert '<p dir="rtl" lang="ar">' in html
    assert '<a class="entity" href="/entities/test-person-kaabi"' in html
    assert 'class="translation"' in html and "/warc" in html and "/raw" in html
    english = viewer.get(f"/documents/{home.documents['en-meeting.html']}").text
    assert '<p dir="ltr" lang="en">' in english


def test_facet_links_keep_the_query_and_the_other_filters(viewer: Signed, home: WebHome) -> None:
    html = viewer.get("/search", params={"q": "بغداد", "language": "ar"}).text
    links = re.findall(r'href="([^"]*entity_id=[^"]*)"', html)
    assert links and all("language=ar" in link and "q=" in link for link in links)
    followed = viewer.get(links[0].replace("&amp;", "&"))
    assert followed.status_code == 200 and "لقاء في بغداد" in followed.text


def test_search_form_offers_each_source_and_htmx_gets_the_results_alone(
    viewer: Signed, home: WebHome
) -> None:
    with home.workspace.database.session() as session:
        source_id = session.scalars(select(Source.id).where(Source.name == "test pages")).one()
    html = viewer.get("/search", params={"q": "بغداد", "source_id": source_id}).text
    assert f'<option value="{source_id}" selected>test pages</option>' in html
    partial = viewer.get("/search", params={"q": "بغداد"}, headers={"HX-Request": "true"}).text
    assert "لقاء في بغداد" in partial and "<form" not in partial and "<option" not in partial
