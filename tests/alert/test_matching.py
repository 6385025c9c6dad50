"""Each rule condition, alone and together, on documents written straight into the store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy.orm import Session

from marsad.alert.matching import DocumentMatcher, members_of
from marsad.alert.rules import Conditions
from marsad.errors import AlertRuleError
from marsad.store.models import Document
from marsad.text.normalize import default_normalizer
from marsad.workspace import Workspace
from tests.alert.store import (
    add_document,
    add_entity,
    add_event,
    mention,
    relate,
)
from tests.conftest import workspace_for

MEETING = "عقد أكرم الكعبي الأمين العام لحركة النجباء اجتماعاً مع قادة الفصائل في بغداد."
WARNING = "حذّرت كتائب حزب الله القوات الأجنبية من البقاء في العراق بعد انتهاء المهلة."
ENGLISH = "Officials discussed the economic crisis in Baghdad on Tuesday."
HEBREW = "דובר הארגון אמר כי ההודעה פורסמה בערוץ הטלגרם של התנועה."


@pytest.fixture(scope="module")
def workspace(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    with workspace_for(backend, tmp_path_factory.mktemp("matching")) as workspace:
        with workspace.database.session() as session:
            add_entity(session, "org-nujaba", "organization", "Harakat al-Nujaba")
            add_entity(session, "person-kaabi", "person", "Akram al-Kaabi")
            add_entity(session, "org-nujaba-branch", "organization", "Nujaba Syria branch")
            add_entity(session, "person-branch-commander", "person", "A branch commander")
            add_entity(session, "org-kh", "organization", "Kataib Hezbollah")
            relate(session, "person-kaabi", "secretary_general_of", "org-nujaba")
            relate(session, "org-nujaba-branch", "branch_of", "org-nujaba")
            relate(session, "person-branch-commander", "commander_of", "org-nujaba-branch")
            meeting = add_document(session, MEETING, title="اجتماع", source="nujaba_channel")
            mention(session, meeting, "person-kaabi", "أكرم الكعبي")
            warning = add_document(session, WARNING, source="kh_channel", cluster_id=None)
            mention(session, warning, "org-kh", "كتائب حزب الله")
            add_event(session, warning, "threaten", "conditional")
            add_event(session, meeting, "meet")
            add_document(session, ENGLISH, language="en", source="news_site")
            add_document(session, HEBREW, language="he", source="news_site")
        yield workspace


def matches(workspace: Workspace, text_start: str, conditions: dict[str, Any]) -> list[Any] | None:
    with workspace.database.session() as session:
        document = _document(session, text_start)
        return DocumentMatcher(session, document, default_normalizer()).match(
            Conditions.from_dict(conditions)
        )


def _document(session: Session, text_start: str) -> Document:
    from sqlalchemy import select

    return session.scalars(select(Document).where(Document.text.startswith(text_start))).one()


def test_a_watched_organisation_matches_a_text_naming_its_secretary_general(
    workspace: Workspace,
) -> None:
    reasons = matches(workspace, "عقد", {"entities": ["org-nujaba"]})
    assert reasons is not None
    (reason,) = reasons
    assert reason["entity_id"] == "person-kaabi"
    assert reason["via"] == "secretary_general_of Harakat al-Nujaba"
    assert reason["surface"] == "أكرم الكعبي"


def test_members_can_be_left_out(workspace: Workspace) -> None:
    assert matches(workspace, "عقد", {"entities": ["org-nujaba"], "include_members": False}) is None


def test_members_of_a_branch_count_for_the_parent(workspace: Workspace) -> None:
    with workspace.database.session() as session:
        found = members_of(session, "org-nujaba")
    assert found == {
        "person-kaabi": "secretary_general_of Harakat al-Nujaba",
        "org-nujaba-branch": "branch_of Harakat al-Nujaba",
        "person-branch-commander": "commander_of Nujaba Syria branch",
    }


def test_an_entity_not_named_does_not_match(workspace: Workspace) -> None:
    assert matches(workspace, "عقد", {"entities": ["org-kh"]}) is None


@pytest.mark.parametrize(
    ("keyword", "text_start"),
    [
        ("النجباء", "عقد"),  # written with the clitic لحركة ... and ل
        ("اجتماعا", "عقد"),  # the text has tanween: اجتماعاً
        ("القوات الاجنبيه", "حذ"),  # alef/teh marbuta folded, two words
        ("ECONOMIC CRISIS", "Officials"),  # case
        ("הטלגרם", "דובר"),  # Hebrew
    ],
)
def test_keywords_match_after_normalisation_in_any_script(
    workspace: Workspace, keyword: str, text_start: str
) -> None:
    reasons = matches(workspace, text_start, {"keywords": [keyword]})
    assert reasons is not None
    assert reasons[0]["condition"] == "keyword"
    assert reasons[0]["keyword"] == keyword


def test_a_keyword_inside_another_word_does_not_match(workspace: Workspace) -> None:
    assert matches(workspace, "Officials", {"keywords": ["ISIS"]}) is None  # "crisis"


def test_the_keyword_reason_quotes_the_original_text(workspace: Workspace) -> None:
    reasons = matches(workspace, "حذ", {"keywords": ["القوات الاجنبيه"]})
    assert reasons is not None and "القوات الأجنبية" in reasons[0]["quote"]


def test_event_type_and_severity_match_events_the_document_reports(workspace: Workspace) -> None:
    threat = matches(workspace, "حذ", {"event_types": ["threaten"], "severities": ["conditional"]})
    assert threat is not None and threat[0]["type"] == "threaten"
    assert threat[0]["severity"] == "conditional"
    assert matches(workspace, "حذ", {"severities": ["explicit_violence"]}) is None
    assert matches(workspace, "عقد", {"event_types": ["threaten"]}) is None
    assert matches(workspace, "عقد", {"event_types": ["meet", "threaten"]}) is not None


def test_language_and_source(workspace: Workspace) -> None:
    assert matches(workspace, "דובר", {"languages": ["he", "fa"]}) is not None
    assert matches(workspace, "דובר", {"languages": ["ar"]}) is None
    assert matches(workspace, "حذ", {"sources": ["kh_channel"]}) is not None
    assert matches(workspace, "حذ", {"sources": ["news_site"]}) is None


def test_all_conditions_must_hold(workspace: Workspace) -> None:
    both = {"entities": ["org-kh"], "keywords": ["العراق"], "languages": ["ar"]}
    reasons = matches(workspace, "حذ", both)
    assert reasons is not None
    assert [r["condition"] for r in reasons] == ["language", "entity", "keyword"]
    assert matches(workspace, "حذ", {**both, "keywords": ["بغداد"]}) is None


def test_first_seen_matches_only_the_first_copy(workspace: Workspace) -> None:
    with workspace.database.session() as session:
        text = "بيان صادر عن المكتب الإعلامي حول الحملة الخيرية في صنعاء."
        first = add_document(session, text, seen=datetime(2026, 3, 2, tzinfo=UTC))
        later = add_document(session, text + " ", seen=datetime(2026, 3, 3, tzinfo=UTC))
        first.cluster_id = later.cluster_id = first.id
        session.flush()
        normalizer = default_normalizer()
        rule = Conditions.from_dict({"first_seen": True})
        assert DocumentMatcher(session, first, normalizer).match(rule) == [
            {"condition": "first_seen"}
        ]
        assert DocumentMatcher(session, later, normalizer).match(rule) is None


@pytest.mark.parametrize(
    "conditions",
    [{}, {"colour": ["red"]}, {"keywords": [""]}, {"first_seen": "yes"}, {"languages": [3]}],
)
def test_bad_conditions_are_refused(conditions: dict[str, Any]) -> None:
    with pytest.raises(AlertRuleError):
        Conditions.from_dict(conditions)


def test_a_keyword_of_marks_alone_finds_nothing(workspace: Workspace) -> None:
    # A rule stored before keywords were checked: empty once normalised, it must not match
    # the lone conjunction "و" of a Persian text.
    with workspace.database.session() as session:
        add_document(session, "رئیس و معاون سازمان دیروز دیدار کردند.")
    assert matches(workspace, "رئیس", {"keywords": ["ـــَ"]}) is None
    assert matches(workspace, "رئیس", {"keywords": ["معاون"]}) is not None


def test_a_keyword_matches_with_a_word_ending_of_its_language(workspace: Workspace) -> None:
    with workspace.database.session() as session:
        add_document(session, "نشرت الحركة بياناً مصوراً على قناتها.")
    assert matches(workspace, "نشرت", {"keywords": ["بيان"]}) is not None
    assert matches(workspace, "نشرت", {"keywords": ["بيانو"]}) is None
