"""Telegram messages that are not plain text — locations, venues, polls, contacts, stickers,
voice notes, games, invoices — keep their content, from t.me/s pages (our own synthetic page,
and the third-party t.me/s fragments in ../shared/eval/telegram_tme_s) and from Telegram Desktop
exports; and the content reaches the recorded document."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from marsad.collect.content import RawContent
from marsad.collect.kinds import Collected
from marsad.collect.message_content import coordinates_from_map_link
from marsad.collect.telegram import parse_channel_page
from marsad.collect.telegram_export import ExportHeader, message_post
from marsad.store.models import Document
from marsad.workspace import Workspace

EVAL_TME = (
    Path(__file__).resolve().parents[2].parent / "shared" / "eval" / "telegram_tme_s"
) / "tchan_tme_s_cases.json"


def tme_message(post_id: int, body: str) -> str:
    return (
        '<div class="tgme_widget_message text_not_supported_wrap" '
        f'data-post="marsad_demo/{post_id}">'
        f'<div class="tgme_widget_message_bubble">{body}<div class="tgme_widget_message_footer">'
        '<span class="tgme_widget_message_views">1.5K</span><a class="tgme_widget_message_date" '
        f'href="https://t.me/marsad_demo/{post_id}"><time datetime="2026-11-21T09:00:00+00:00">'
        "</time></a></div></div></div>"
    )


PAGE = (
    "<html><body>"
    + tme_message(
        21,
        '<a class="tgme_widget_message_location_wrap" '
        'href="https://maps.google.com/maps?q=33.312805,44.361488&ll=33.312805,44.361488&z=16">'
        '<div class="tgme_widget_message_location"></div></a>'
        '<div class="tgme_widget_message_text">موقع المؤتمر الصحفي</div>',
    )
    + tme_message(
        22,
        '<div class="tgme_widget_message_poll"><div class="tgme_widget_message_poll_question">'
        "هل تتابع نشرة الأخبار المسائية؟</div>"
        '<div class="tgme_widget_message_poll_type">Anonymous poll</div>'
        '<a class="tgme_widget_message_poll_options">'
        '<div class="tgme_widget_message_poll_option">'
        '<div class="tgme_widget_message_poll_option_percent">60%</div>'
        '<div class="tgme_widget_message_poll_option_text">نعم</div></div>'
        '<div class="tgme_widget_message_poll_option">'
        '<div class="tgme_widget_message_poll_option_percent">40%</div>'
        '<div class="tgme_widget_message_poll_option_text">لا</div></div></a></div>'
        '<span class="tgme_widget_message_voters">1.2K</span>',
    )
    + tme_message(23, '<div class="tgme_widget_message_sticker_wrap"></div>')
    + "</body></html>"
)


def test_tme_location_and_poll_posts_keep_coordinates_question_and_options() -> None:
    posts = {
        post.part: post
        for post in parse_channel_page(
            PAGE.encode(), "text/html", "https://t.me/s/marsad_demo", "https://t.me"
        )
    }
    location = posts["21"]
    assert location.content is not None and location.content.kind == "location"
    assert location.content.details == {"latitude": 33.312805, "longitude": 44.361488}
    assert location.text == "موقع المؤتمر الصحفي"
    poll = posts["22"]
    assert poll.content is not None and poll.content.kind == "poll"
    assert poll.text.splitlines() == ["هل تتابع نشرة الأخبار المسائية؟", "- نعم", "- لا"]
    assert poll.title == "هل تتابع نشرة الأخبار المسائية؟"
    assert poll.content.details == {
        "question": "هل تتابع نشرة الأخبار المسائية؟",
        "options": ["نعم", "لا"],
        "poll_type": "Anonymous poll",
        "voters": 1200,
    }
    sticker = posts["23"]
    assert sticker.content is not None and sticker.content.kind == "sticker"


@pytest.mark.skipif(not EVAL_TME.is_file(), reason=f"t.me/s fragments not present at {EVAL_TME}")
def test_third_party_location_and_poll_fragments_keep_their_content() -> None:
    cases = json.loads(EVAL_TME.read_text(encoding="utf-8"))["cases"]
    kinds = {"location", "poll"}
    checked = 0
    for case in cases:
        expected = case.get("expected") or {}
        if expected.get("type") not in kinds:
            continue
        (post,) = parse_channel_page(
            case["html"].encode(), "text/html", "https://t.me/s/x", "https://t.me"
        )
        assert post.content is not None and post.content.kind == expected["type"], case["test"]
        if expected["type"] == "location":
            (map_link,) = [url for _kind, url in expected["urls"]]
            assert post.content.details == coordinates_from_map_link(map_link)
        else:
            assert post.content.details["question"] and len(post.content.details["options"]) >= 2
            assert post.text.startswith(post.content.details["question"])
        checked += 1
    assert checked >= 4


HEADER = ExportHeader(Path("/exports/result.json"), "قناة الأخبار", "public_channel", 1987654321)


def exported(**fields: Any) -> dict[str, Any]:
    return {"id": 40, "type": "message", "date_unixtime": "1791450000", "text": "", **fields}


@pytest.mark.parametrize(
    ("message", "kind", "lines", "details"),
    [
        (
            exported(location_information={"latitude": 36.19, "longitude": 44.01}),
            "location",
            [],
            {"latitude": 36.19, "longitude": 44.01},
        ),
        (
            exported(
                place_name="ساحة التحرير",
                address="بغداد",
                location_information={"latitude": 33.3326, "longitude": 44.4196},
                text="التجمع هنا",
            ),
            "venue",
            ["التجمع هنا", "ساحة التحرير", "بغداد"],
            {"latitude": 33.3326, "longitude": 44.4196, "name": "ساحة التحرير", "address": "بغداد"},
        ),
        (
            exported(
                poll={
                    "question": "איזה נושא לסקר הבא?",
                    "closed": False,
                    "total_voters": 7,
                    "answers": [
                        {"text": "תחבורה", "voters": 4, "chosen": False},
                        {"text": "חינוך", "voters": 3, "chosen": False},
                    ],
                }
            ),
            "poll",
            ["איזה נושא לסקר הבא?", "- תחבורה", "- חינוך"],
            {
                "question": "איזה נושא לסקר הבא?",
                "options": ["תחבורה", "חינוך"],
                "votes": [4, 3],
                "total_voters": 7,
                "closed": False,
            },
        ),
        (
            exported(
                contact_information={
                    "first_name": "دفتر",
                    "last_name": "الصحافة",
                    "phone_number": "+964 770 000 0000",
                }
            ),
            "contact",
            ["دفتر الصحافة"],
            {"name": "دفتر الصحافة", "phone_number": "+964 770 000 0000"},
        ),
        (
            exported(media_type="sticker", sticker_emoji="👍", file="(File not included.)"),
            "sticker",
            [],
            {"sticker_emoji": "👍"},
        ),
        (
            exported(media_type="voice_message", duration_seconds=12, mime_type="audio/ogg"),
            "voice_message",
            [],
            {"duration_seconds": 12, "mime_type": "audio/ogg"},
        ),
        (
            exported(game_title="مسابقة", game_description="أسئلة عن المدينة"),
            "game",
            ["مسابقة", "أسئلة عن المدينة"],
            {},
        ),
    ],
    ids=["location", "venue", "poll", "contact", "sticker", "voice", "game"],
)
def test_exported_message_kinds_keep_their_content(
    message: dict[str, Any], kind: str, lines: list[str], details: dict[str, Any]
) -> None:
    post = message_post(message, HEADER)
    assert post is not None and post.content is not None
    assert (post.content.kind, post.text.splitlines(), post.content.details) == (
        kind,
        lines,
        details,
    )
    assert post.published == datetime(2026, 10, 8, 9, 0, tzinfo=UTC)


def test_a_location_post_is_recorded_with_its_coordinates(workspace: Workspace) -> None:
    posts = parse_channel_page(
        PAGE.encode(), "text/html", "https://t.me/s/marsad_demo", "https://t.me"
    )
    raw = RawContent(url="https://t.me/s/marsad_demo", data=PAGE.encode(), content_type="text/html")
    with workspace.database.session() as session:
        workspace.capture_recorder(session).record_collected(Collected(raw, posts=posts), None)
    with workspace.database.session() as session:
        recorded = {d.part: d for d in session.scalars(select(Document))}
        assert recorded["21"].properties["kind"] == "location"
        assert recorded["21"].properties["content"] == {
            "latitude": 33.312805,
            "longitude": 44.361488,
        }
        assert recorded["22"].properties["content"]["options"] == ["نعم", "لا"]
        assert "- نعم" in (recorded["22"].text or "")
