"""Cross-language stories from real pipeline output: a statement in Arabic (and its repost),
its Farsi and English versions joined by the people and organisations they name."""

from pathlib import Path

from marsad.cluster.stories import load_stories
from marsad.export.records import records_of
from marsad.link.aliases import default_variant_generator
from marsad.link.kb import read_kb_file
from marsad.link.store import KnowledgeBaseStore
from marsad.pipeline.ingest import Ingestor
from marsad.text.normalize import default_normalizer
from marsad.workspace import Workspace

KB = """
kind: organization
entities:
  - id: test-org-nujaba
    name: Nujaba Movement
    aliases: {en: ["Nujaba Movement"], ar: ["حركة النجباء"], fa: ["جنبش نجباء"]}
    sources: ["synthetic test entry"]
  - id: test-person-kaabi
    kind: person
    name: Akram al-Kaabi
    aliases: {en: ["Akram al-Kaabi"], ar: ["أكرم الكعبي"], fa: ["اکرم کعبی"]}
    sources: ["synthetic test entry"]
  - id: test-org-harbour
    name: Harbour Workers Union
    aliases: {en: ["Harbour Workers Union"]}
    sources: ["synthetic test entry"]
"""
ARABIC = (
    "عقد أكرم الكعبي الأمين العام لحركة النجباء اجتماعا مع قادة فصيلين آخرين يوم الخميس، "
    "وبحث المجتمعون الأوضاع الأمنية في المنطقة وسبل تنسيق المواقف السياسية خلال المرحلة "
    "المقبلة، وأكد البيان الصادر عن الاجتماع أن اللقاء جرى في أجواء ودية."
)
FARSI = (
    "اکرم کعبی دبیرکل جنبش نجباء روز پنجشنبه با رهبران دو گروه دیگر دیدار کرد و دو طرف "
    "درباره اوضاع امنیتی منطقه و هماهنگی مواضع سیاسی در مرحله آینده گفت‌وگو کردند."
)
ENGLISH = (
    "Akram al-Kaabi, the secretary-general of the Nujaba Movement, met the leaders of two "
    "other groups on Thursday to discuss security in the region and how to coordinate their "
    "political positions in the coming months, according to a statement."
)
# Same names, seven weeks later: another happening.
FARSI_LATER = (
    "اکرم کعبی دبیرکل جنبش نجباء در سالگرد تأسیس این گروه سخنرانی کرد و از برنامه‌های "
    "فرهنگی و آموزشی سال آینده خبر داد."
)
# Same week, one shared name only: not enough to call it the same happening.
ENGLISH_OTHER = (
    "The Harbour Workers Union said on Friday that talks with the Nujaba Movement about "
    "the port's new shift rules would continue next week after a first round ended."
)


def page(text: str, day: str) -> str:
    meta = f'<meta property="article:published_time" content="{day}T09:00:00+00:00">'
    return f"<html><head>{meta}<title>t</title></head><body><p>{text}</p></body></html>"


def test_versions_in_other_languages_join_the_story(workspace: Workspace, tmp_path: Path) -> None:
    (tmp_path / "kb.yaml").write_text(KB, encoding="utf-8")
    with workspace.database.session() as session:
        store = KnowledgeBaseStore(session, default_normalizer(), default_variant_generator())
        store.sync(read_kb_file(tmp_path / "kb.yaml"))
    pages = {
        "1-ar.html": page(ARABIC, "2026-10-01"),
        "2-ar-repost.html": page("📌 " + ARABIC, "2026-10-01"),
        "3-fa.html": page(FARSI, "2026-10-02"),
        "4-en.html": page(ENGLISH, "2026-10-03"),
        "5-fa-later.html": page(FARSI_LATER, "2026-11-20"),
        "6-en-other.html": page(ENGLISH_OTHER, "2026-10-02"),
    }
    for name, html in pages.items():
        (tmp_path / name).write_text(html, encoding="utf-8")
    summary = Ingestor(workspace).ingest([str(tmp_path / name) for name in pages])
    assert summary.pipeline.failures == []
    with workspace.database.session() as session:
        (story,) = list(load_stories(session))
        names = [m.url.rsplit("/", 1)[1] for m in story.members]
        assert names == ["1-ar.html", "2-ar-repost.html", "3-fa.html", "4-en.html"]
        assert story.languages == ["ar", "en", "fa"]
        assert story.id == story.first.document_id
        assert len(story.joins) == 3  # ar-fa, ar-en, fa-en
        reasons = " | ".join(join.why for join in story.joins)
        assert "Akram al-Kaabi, Nujaba Movement" in reasons
        assert all(0.5 <= join.score <= 1 for join in story.joins)
        (record,) = list(records_of("stories", session))
    assert [join["score"] for join in record["cross_language"]] == [j.score for j in story.joins]
