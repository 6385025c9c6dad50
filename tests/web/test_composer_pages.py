"""The composer's pages as forms post them: captured markup and notes stay inert text, a
refused item comes back with its reason, viewers see no editing controls and cannot post,
and forms without the token are refused."""

from __future__ import annotations

from tests.web.conftest import Signed
from tests.web.corpus import XSS, WebHome


def form(client: Signed, url: str, **fields: object):  # type: ignore[no-untyped-def]
    data = {"csrf_token": client.csrf, **fields}
    return client.client.post(url, data=data, follow_redirects=False)


def new_draft(client: Signed, title: str) -> str:
    made = form(client, "/drafts", title=title)
    assert made.status_code == 303, made.text
    return str(made.headers["location"])


def test_captured_markup_and_notes_are_text_on_the_composer_page(
    analyst: Signed, home: WebHome
) -> None:
    draft = new_draft(analyst, XSS)
    added = form(analyst, f"{draft}/items", kind="document", document_id=home.documents["xss.html"])
    assert added.status_code == 303
    item_id = added.headers["location"].rsplit("#item-", 1)[1]
    assert form(analyst, f"{draft}/items/{item_id}/note", note=XSS).status_code == 303
    page = analyst.get(draft).text
    assert "<script>" not in page and "<img src=x" not in page
    assert page.count("&lt;script&gt;") >= 3  # title, document title, note
    assert 'class="save-note"' in page


def test_a_refused_item_comes_back_with_its_reason(analyst: Signed, home: WebHome) -> None:
    draft = new_draft(analyst, "Refused")
    english = home.documents["en-meeting.html"]
    refused = form(analyst, f"{draft}/items", kind="quote", document_id=english, words="absent")
    assert refused.status_code == 422 and "has no passage" in refused.text
    assert 'class="empty"' in analyst.get(draft).text  # nothing was added


def test_viewers_get_no_draft_controls_and_cannot_post(
    analyst: Signed, viewer: Signed, admin: Signed
) -> None:
    listing = viewer.get("/drafts")
    assert listing.status_code == 200 and 'class="new-draft"' not in listing.text
    assert form(viewer, "/drafts", title="viewer's").status_code == 403
    draft = new_draft(admin, "Admin's")
    page = admin.get(draft).text
    assert 'class="build"' in page and 'class="add-document"' in page
    assert viewer.get(draft).status_code == 403  # another user's draft
    assert analyst.client.post("/drafts", data={"title": "no token"}).status_code == 403
