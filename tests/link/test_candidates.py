"""New names for the review queue: the cues of each language, offsets into the original text,
what is left out (linked spans, judged names, junk), and the candidates the link stage stores."""

from pathlib import Path

import pytest
from sqlalchemy import select

from marsad.link.aliases import default_variant_generator
from marsad.link.candidates import CandidateFinder, default_candidate_finder
from marsad.link.kb import read_kb_file
from marsad.link.store import KnowledgeBaseStore
from marsad.pipeline.ingest import Ingestor
from marsad.store.models import Document, Mention
from marsad.text.normalize import default_normalizer
from marsad.workspace import Workspace


@pytest.fixture(scope="module")
def finder() -> CandidateFinder:
    return default_candidate_finder()


def found(finder: CandidateFinder, text: str, language: str) -> list[tuple[str, str, int]]:
    candidates = finder.find(text, [(0, len(text), language)])
    for candidate in candidates:
        assert text[candidate.start : candidate.end] == candidate.surface
    return [(c.surface, c.kind, c.start) for c in candidates]


@pytest.mark.parametrize(
    ("language", "text", "name"),
    [
        ("ar", "وقال القيادي البارز أحمد سالم في تصريح إن الاجتماع انتهى.", "أحمد سالم"),
        ("fa", "فرمانده علی رضایی در گفتگو با خبرنگاران گفت که جلسه تمام شد.", "علی رضایی"),
        ("he", "המפקד יוסי לוי אמר היום כי הפגישה הסתיימה.", "יוסי לוי"),
        ("en", "Later the commander Samir Haddad said the meeting had ended.", "Samir Haddad"),
    ],
)
def test_a_name_after_a_title_is_a_person(
    finder: CandidateFinder, language: str, text: str, name: str
) -> None:
    assert found(finder, text, language) == [(name, "person", text.index(name))]


@pytest.mark.parametrize(
    ("language", "text", "name"),
    [
        ("ar", "وأعلن المتحدث أن لكتائب الفجر الجديد موقفا من المشروع.", "كتائب الفجر الجديد"),
        ("ar", "قالت سرايا النور في بيان إن الطريق مفتوح.", "سرايا النور"),
        ("fa", "گروه فجر نوین در بیانیه‌ای از مردم تشکر کرد.", "گروه فجر نوین"),
        ("he", "ארגון שחר חדש פרסם הודעה לתושבים.", "ארגון שחר חדש"),
        ("en", "A statement by Kataib al-Fajr thanked the volunteers.", "Kataib al-Fajr"),
        ("en", "A statement by the Dawn Brigades thanked the volunteers.", "Dawn Brigades"),
    ],
)
def test_a_name_after_an_organisation_word_is_an_organisation(
    finder: CandidateFinder, language: str, text: str, name: str
) -> None:
    assert found(finder, text, language) == [(name, "organization", text.index(name))]


def test_offsets_point_into_the_original_text_around_marks_the_normaliser_drops(
    finder: CandidateFinder,
) -> None:
    # Harakat, tatweel and a right-to-left mark shift the normalised text against the original.
    text = "\u200fقال القيـادي أحمدُ سالمٌ إن اللقاء انتهى."
    ((surface, kind, start),) = found(finder, text, "ar")
    assert (surface, kind) == ("أحمدُ سالمٌ", "person")
    assert start == text.index("أحمدُ")


def test_capitalised_names_in_english_with_particles_and_possessives(
    finder: CandidateFinder,
) -> None:
    text = "Residents said Ahmad bin Salim's office and Nadia al-Rawi met on Tuesday in Basra."
    assert found(finder, text, "en") == [
        ("Ahmad bin Salim", "person", text.index("Ahmad")),
        ("Nadia al-Rawi", "person", text.index("Nadia")),
    ]


def test_linked_mentions_are_not_candidates(finder: CandidateFinder) -> None:
    text = "Later the commander Samir Haddad met Nadia al-Rawi."
    linked = [(text.index("Samir"), text.index("Samir") + len("Samir Haddad"))]
    candidates = finder.find(text, [(0, len(text), "en")], linked)
    assert [c.surface for c in candidates] == ["Nadia al-Rawi"]


def test_names_an_analyst_judged_are_not_proposed_again(finder: CandidateFinder) -> None:
    text = "قال القيادي أحمد سالم إن كتائب الفجر أعلنت موقفها."
    judged = {(finder.key("احمد سالم"), "person")}
    candidates = finder.find(text, [(0, len(text), "ar")], judged=judged)
    assert [(c.surface, c.kind) for c in candidates] == [("كتائب الفجر", "organization")]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "On Monday the ministry said 12 Brigades of 2024 were ready."),
        ("en", "Officials said Hamas and Iraq agreed. The Meeting ended in March."),
        ("en", "Update: In Baghdad, Prime Minister spoke on Friday. Sources declined."),
        ("en", "the commander said he would return. The Commander 2024 spoke."),
        ("ar", "قال القيادي في الحركة إن حركة المرور في بغداد متوقفة منذ 2024."),
        ("fa", "فرمانده در جلسه گفت که گروه ها آماده هستند."),
        ("he", "המפקד אמר כי ארגון של תושבים הודיע היום."),
    ],
)
def test_junk_is_not_proposed(finder: CandidateFinder, language: str, text: str) -> None:
    assert found(finder, text, language) == []


def test_each_language_run_is_read_with_its_own_rules(finder: CandidateFinder) -> None:
    arabic = "قال القيادي أحمد سالم إن اللقاء انتهى. "
    english = "Later the commander Samir Haddad left."
    text = arabic + english
    runs = [(0, len(arabic), "ar"), (len(arabic), len(text), "en")]
    candidates = finder.find(text, runs)
    assert [(c.surface, c.start) for c in candidates] == [
        ("أحمد سالم", text.index("أحمد")),
        ("Samir Haddad", text.index("Samir")),
    ]
    assert finder.find(text, [(0, len(text), "sw")]) == []  # no lexicon: no guesses


KB = """
kind: organization
entities:
  - id: test-org-dawn-front
    name: Dawn Front
    aliases: {ar: ["جبهة الفجر"], en: ["Dawn Front"]}
    sources: ["synthetic test entry"]
"""
ARTICLE = (
    "بيان حول اللقاء\n"
    "قال القيادي أحمد سالم يوم الاثنين إن جبهة الفجر وكتائب النور الجديد ستشارك في اللجنة "
    "المشتركة الأسبوع المقبل.\n"
)


def test_the_link_stage_stores_candidates_without_an_entity(
    workspace: Workspace, tmp_path: Path
) -> None:
    kb_file = tmp_path / "kb.yaml"
    kb_file.write_text(KB, encoding="utf-8")
    with workspace.database.session() as session:
        store = KnowledgeBaseStore(session, default_normalizer(), default_variant_generator())
        store.sync(read_kb_file(kb_file))
    page = tmp_path / "statement.txt"
    page.write_text(ARTICLE, encoding="utf-8")
    assert Ingestor(workspace).ingest([str(page)], language="ar").pipeline.failures == []
    with workspace.database.session() as session:
        rows = session.scalars(select(Mention).order_by(Mention.start)).all()
        stored = [(m.entity_id, m.surface, m.method, m.candidate_kind) for m in rows]
        text = session.scalars(select(Document.text)).one() or ""
    # جبهة الفجر starts like an organisation name but is linked: not a candidate.
    assert stored == [
        (None, "أحمد سالم", "candidate", "person"),
        ("test-org-dawn-front", "جبهة الفجر", "alias", None),
        (None, "كتائب النور الجديد", "candidate", "organization"),
    ]
    assert [text[m.start : m.end] for m in rows] == [m[1] for m in stored]
