"""Hash-list matches as alert conditions: a rule fires when a medium of the document (its own
bytes, a post's photo) is on a hash list — as the medium arrives, or when a list imported later
flags media already captured — and the alert names the list and the entry's label."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import select

from marsad.alert.matching import DocumentMatcher
from marsad.alert.messages import build_message, describe_reason
from marsad.alert.rules import Conditions
from marsad.config import Settings
from marsad.errors import AlertRuleError
from marsad.media.hashes import pdq_of
from marsad.store.models import AlertDelivery, AlertRule, Capture, Document
from marsad.text.normalize import default_normalizer
from marsad.workspace import Workspace
from tests.alert.store import add_rule
from tests.commandline import marsad_here
from tests.media.statements import ARABIC, HEBREW, statement_image, statement_png
from tests.media.test_hashlists import ingest_png, reencoded_copy


def fired(workspace: Workspace) -> list[tuple[str, int, list[str]]]:
    """(rule name, document id, labels of the hash-list reasons) of every alert recorded."""
    with workspace.database.session() as session:
        rows = session.scalars(select(AlertDelivery).order_by(AlertDelivery.id)).all()
        return [
            (row.payload["rule"]["name"], int(row.item_id),
             [r["label"] for r in row.payload["reasons"] if r["condition"] == "hash_match"])
            for row in rows
        ]  # fmt: skip


def test_a_list_imported_later_fires_the_rules_on_the_media_it_flags(
    workspace: Workspace, settings: Settings, tmp_path: Path
) -> None:
    with workspace.database.session() as session:
        add_rule(session, {"hash_lists": ["shared.csv"]}, name="shared list")
        add_rule(session, {"hash_lists": ["other.csv"]}, name="other list")
        add_rule(session, {"hash_match": True, "languages": ["he"]}, name="any list, Hebrew")
    capture_id = ingest_png(workspace, tmp_path, statement_png(ARABIC))
    assert fired(workspace) == []  # on no list yet
    copy_pdq, _quality = pdq_of(reencoded_copy(statement_image(ARABIC)))
    hash_list = tmp_path / "shared.csv"
    hash_list.write_text(f"pdq,label\n{copy_pdq},statement poster (re-post)\n", encoding="utf-8")

    marsad_here(settings, "hashlist", "import", str(hash_list))

    with workspace.database.session() as session:
        document_id = session.scalars(
            select(Document.id).where(Document.capture_id == capture_id)
        ).one()
    assert fired(workspace) == [("shared list", document_id, ["statement poster (re-post)"])]
    with workspace.database.session() as session:
        delivery = session.scalars(select(AlertDelivery)).one()
        rule = session.get_one(AlertRule, delivery.rule_id)
        (reason,) = delivery.payload["reasons"]
        assert reason["list"] == "shared.csv" and reason["algorithm"] == "pdq"
        assert 0 < reason["distance"] <= 31 and reason["capture_id"] == capture_id
        described = describe_reason(reason)
        assert "on hash list shared.csv: statement poster (re-post) (pdq," in described
        assert "statement poster (re-post)" in build_message(rule, [delivery], digest=False).text
    marsad_here(settings, "hashlist", "import", str(hash_list))  # nothing new: fires nothing
    assert len(fired(workspace)) == 1


def test_a_medium_already_listed_fires_as_it_is_ingested(
    workspace: Workspace, settings: Settings, tmp_path: Path
) -> None:
    data = statement_png(HEBREW)
    md5 = hashlib.md5(data, usedforsecurity=False).hexdigest()
    hash_list = tmp_path / "known.csv"
    hash_list.write_text(f"md5,label\n{md5},known file\n", encoding="utf-8")
    marsad_here(settings, "hashlist", "import", str(hash_list))
    with workspace.database.session() as session:
        add_rule(session, {"hash_match": True}, name="any list")
        add_rule(session, {"hash_lists": ["elsewhere.csv"]}, name="another list")

    ingest_png(workspace, tmp_path, data)

    assert [(name, labels) for name, _id, labels in fired(workspace)] == [
        ("any list", ["known file"])
    ]


def test_a_post_matches_through_the_photo_captured_beside_it(
    workspace: Workspace, settings: Settings, tmp_path: Path
) -> None:
    data = statement_png(ARABIC)
    sha256 = hashlib.sha256(data).hexdigest()
    hash_list = tmp_path / "list.csv"
    hash_list.write_text(f"sha256,label\n{sha256},statement photo\n", encoding="utf-8")
    marsad_here(settings, "hashlist", "import", str(hash_list))
    capture_id = ingest_png(workspace, tmp_path, data)
    with workspace.database.session() as session:
        photo = session.get_one(Capture, capture_id)
        post_capture = Capture(url="https://t.me/s/channel", sha256="0" * 64)
        session.add(post_capture)
        post = Document(
            capture=post_capture, part="7", url="https://t.me/channel/7", text="بيان اليوم",
            properties={"media": [photo.url, "https://cdn.example.org/not-captured.jpg"]},
        )  # fmt: skip
        plain = Document(capture=post_capture, part="8", url="https://t.me/channel/8", text="x")
        session.add_all([post, plain])
        session.flush()
        conditions = Conditions.from_dict({"hash_match": True})
        normalizer = default_normalizer()
        reasons = DocumentMatcher(session, post, normalizer).match(conditions)
        assert reasons is not None
        assert [(r["label"], r["algorithm"], r["url"]) for r in reasons] == [
            ("statement photo", "sha256", photo.url)
        ]
        assert DocumentMatcher(session, plain, normalizer).match(conditions) is None


def test_hash_conditions_are_checked() -> None:
    assert Conditions.from_dict({"hash_lists": ["a.csv"]}).describe() == "hash_lists=a.csv"
    assert Conditions.from_dict({"hash_match": True}).describe() == "media on a hash list"
    with pytest.raises(AlertRuleError, match="true or false"):
        Conditions.from_dict({"hash_match": "yes"})
    with pytest.raises(AlertRuleError, match="hash-list match"):
        Conditions.from_dict({"hash_match": False})
