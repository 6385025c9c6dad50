"""The stories and referrals pages: a story's copies and propagation graph, flagging a document
to a platform from its page, the case page, and removal statistics with their chart."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from marsad.pipeline.ingest import Ingestor
from marsad.referral.cases import ReferralDesk
from marsad.store.models import AuditLog, Document
from tests.web.conftest import Signed
from tests.web.corpus import PAGES, WebHome, events_of, page_html


def test_a_document_is_flagged_from_its_page_and_its_case_shows_with_its_history(
    analyst: Signed, viewer: Signed, home: WebHome
) -> None:
    document_id = home.documents["ar-meeting.html"]
    assert "Open referral" in analyst.get(f"/documents/{document_id}").text
    assert "Open referral" not in viewer.get(f"/documents/{document_id}").text
    form = {"document_id": str(document_id), "reason": "recruitment", "notes": "<script>x</script>"}
    assert viewer.send("POST", "/referrals", data=form).status_code == 403
    assert analyst.client.post("/referrals", data=form).status_code == 403  # no CSRF token
    opened = analyst.send("POST", "/referrals", data=form, follow_redirects=False)
    assert opened.status_code == 303
    case_page = analyst.get(opened.headers["location"]).text
    assert "Recruitment for or material support" in case_page and "draft" in case_page
    assert "&lt;script&gt;x&lt;/script&gt;" in case_page and "<script>x" not in case_page
    assert "referral.open" in case_page and "user:analyst" in case_page
    unknown = analyst.send("POST", "/referrals", data={**form, "reason": "spam"})
    assert unknown.status_code == 422 and "unknown reason" in unknown.text
    assert analyst.get("/referrals/999999").status_code == 404


def test_removal_statistics_per_platform_with_their_chart(viewer: Signed, home: WebHome) -> None:
    with home.workspace.database.session() as session:
        desk = ReferralDesk(session)
        case = desk.open_case(
            "terrorist_content", document_ids=[home.documents["fa-meeting.html"]],
            platform="telegram",
        )  # fmt: skip
        desk.record_delivery(case, "manual", "abuse form", "0" * 64)
        assert case.sent_at is not None
        case.items[0].removed_at = case.sent_at + timedelta(hours=5)
        case.items[0].state = "removed"
    html = viewer.get("/referrals").text
    assert '<svg class="bars"' in html and 'class="removed"' in html
    assert "1/1 removed · median 5.0 h" in html
    assert "<td>telegram</td><td>1</td><td>1</td><td>1</td><td>100%</td><td>5.0 h</td>" in html


def test_a_story_shows_its_copies_in_order_and_their_propagation(
    viewer: Signed, home: WebHome, tmp_path: Path
) -> None:
    title, body = PAGES["ar-meeting.html"]
    repost = tmp_path / "repost-of-ar-meeting.html"
    repost.write_text(page_html(title, body), encoding="utf-8")
    Ingestor(home.workspace).ingest([str(repost)], source_name="mirror channel")
    with home.workspace.database.session() as session:
        copy = session.scalars(select(Document).where(Document.url == repost.as_uri())).one()
        story_id = copy.cluster_id
    assert story_id == home.documents["ar-meeting.html"]
    listing = viewer.get("/stories").text
    assert f'href="/stories/{story_id}"' in listing
    assert "<bdi>test pages</bdi> → <bdi>mirror channel</bdi>" in listing
    story = viewer.get(f"/stories/{story_id}").text
    # The repost, and the Farsi and English reports of the same meeting (same actors, same
    # day) joined across languages, with the reason shown.
    assert '<svg class="propagation"' in story and story.count('class="copy"') == 4
    assert "Why versions in other languages are here" in story and "Akram al-Kaabi" in story
    assert story.index("test pages") < story.index("mirror channel")
    assert viewer.get("/stories/999999").status_code == 404


def test_analysts_review_coded_events_from_the_events_page(
    analyst: Signed, viewer: Signed, home: WebHome
) -> None:
    assert "Reject</button>" in analyst.get("/events").text
    assert "Reject</button>" not in viewer.get("/events").text
    # An event the events stage coded from the Arabic page (not the one the corpus adds).
    event_id = next(e.id for e in events_of(home, "test-person-kaabi") if e.id != home.event_id)
    retype = {"action": "type", "type": "cooperate"}
    assert viewer.send("POST", f"/events/{event_id}/correct", data=retype).status_code == 403
    done = analyst.send("POST", f"/events/{event_id}/correct", data=retype, follow_redirects=False)
    assert done.status_code == 303
    retyped = [e for e in events_of(home, "test-person-kaabi") if e.type == "cooperate"]
    assert len(retyped) == 1
    wrong = analyst.send("POST", f"/events/{retyped[0].id}/correct", data={**retype, "type": "x"})
    assert wrong.status_code == 422 and "unknown event type" in wrong.text
    analyst.send("POST", f"/events/{retyped[0].id}/correct", data={"action": "delete"})
    assert all(e.type != "cooperate" for e in events_of(home, "test-person-kaabi"))
    with home.workspace.database.session() as session:
        corrections = session.scalars(
            select(AuditLog).where(AuditLog.action == "events.correct")
        ).all()
        assert [c.details.get("action") for c in corrections][-2:] == ["type", "delete"]
        assert corrections[-1].user_id is not None  # filed under the signed-in analyst
