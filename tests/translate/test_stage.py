"""The `translate` stage in the pipeline, on SQLite and PostgreSQL: on by default with the
gloss backend, switched per language and per source, failures recorded and retried."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from marsad.config import Settings
from marsad.export.records import EXPORT_FIELDS, records_of
from marsad.pipeline.ingest import Ingestor
from marsad.store.models import Document, StageRun, Translation
from marsad.translate.align import translation_of_span
from marsad.workspace import Workspace
from tests.conftest import make_settings
from tests.translate.corpus import ARTICLES, ingest_articles, load_kb
from tests.translate.servers import FakeTranslator, translation_server

ARABIC, FARSI, HEBREW = ARTICLES


def translations(workspace: Workspace) -> dict[int, Translation]:
    with workspace.database.session() as session:
        return {t.document_id: t for t in session.scalars(select(Translation))}


def last_run(workspace: Workspace, document_id: int, stage: str) -> StageRun:
    with workspace.database.session() as session:
        return session.scalars(
            select(StageRun)
            .where(StageRun.document_id == document_id, StageRun.stage == stage)
            .order_by(StageRun.id.desc())
        ).first()  # type: ignore[return-value]


def test_every_document_not_in_the_target_language_is_glossed(
    workspace: Workspace, tmp_path: Path
) -> None:
    load_kb(workspace, tmp_path)
    english = tmp_path / "en.txt"
    english.write_text("The committee will meet in Baghdad next week to discuss services.\n")
    ids = ingest_articles(workspace, tmp_path, (ARABIC, HEBREW))
    Ingestor(workspace).ingest([str(english)], language="en")
    stored = translations(workspace)
    assert set(stored) == set(ids.values())
    arabic = stored[ids["ar-meeting"]]
    assert (arabic.backend, arabic.target_language, arabic.source_language) == ("gloss", "en", "ar")
    assert arabic.backend_version and arabic.backend_version.startswith("1-")
    assert "Akram al-Kaabi" in arabic.text and "15 January 2020" in arabic.text
    assert len(arabic.alignment) == 3  # title and two sentences
    with workspace.database.session() as session:
        records = list(records_of("translations", session))
    assert all(tuple(record) == EXPORT_FIELDS["translations"] for record in records)
    assert {r["document_id"]: r["backend"] for r in records} == {i: "gloss" for i in ids.values()}


def test_an_evidence_span_is_shown_in_translation(workspace: Workspace, tmp_path: Path) -> None:
    load_kb(workspace, tmp_path)
    ids = ingest_articles(workspace, tmp_path, (HEBREW,))
    translation = translations(workspace)[ids["he-meeting"]]
    with workspace.database.session() as session:
        text = session.get(Document, ids["he-meeting"]).text  # type: ignore[union-attr]
    start = text.index("אכרם אל-כעבי")
    quote = translation_of_span(translation, start, start + len("אכרם אל-כעבי"))
    assert quote is not None
    assert "Akram al-Kaabi" in quote.text and "15 January 2020" in quote.text
    assert text[quote.source_start : quote.source_end].startswith('מזכ"ל')
    assert "\n" not in quote.text  # one sentence, not the title


def test_reruns_replace_the_translation(workspace: Workspace, tmp_path: Path) -> None:
    load_kb(workspace, tmp_path)
    ids = ingest_articles(workspace, tmp_path, (FARSI,))
    first = translations(workspace)[ids["fa-meeting"]]
    workspace.runner().run(stage_names=["translate"], force=True)
    again = translations(workspace)
    assert list(again) == [ids["fa-meeting"]]
    assert (again[ids["fa-meeting"]].id, again[ids["fa-meeting"]].text) == (first.id, first.text)


def workspace_with(tmp_path: Path, settings: Settings) -> Workspace:
    workspace, _, _ = Workspace.initialise(settings)
    load_kb(workspace, tmp_path)
    return workspace


def test_languages_and_sources_switch_the_stage(tmp_path: Path, database_url: str) -> None:
    only_hebrew = make_settings(tmp_path / "he", database_url, translate_languages="he")
    with workspace_with(tmp_path, only_hebrew) as workspace:
        ids = ingest_articles(workspace, tmp_path, (ARABIC, HEBREW))
        assert set(translations(workspace)) == {ids["he-meeting"]}
        assert last_run(workspace, ids["ar-meeting"], "translate").status == "ok"


def test_the_stage_is_off_for_other_sources_and_with_no_languages(
    tmp_path: Path, database_url: str
) -> None:
    home = tmp_path / "elsewhere"
    for overrides in ({"translate_sources": "telegram: some channel"}, {"translate_languages": ""}):
        settings = make_settings(home, database_url, **overrides)
        with workspace_with(tmp_path, settings) as workspace:
            ingest_articles(workspace, tmp_path, (ARABIC,))
            workspace.runner().run(stage_names=["translate"], force=True)
            assert translations(workspace) == {}


def test_a_failing_backend_leaves_the_document_untranslated_and_is_retried(
    tmp_path: Path, database_url: str
) -> None:
    with translation_server(FakeTranslator(str.upper, fail_status=500)) as server:
        settings = make_settings(
            tmp_path / "home",
            database_url,
            translate_backend="libretranslate",
            translate_libretranslate_url=server.base_url,
        )
        with workspace_with(tmp_path, settings) as workspace:
            page = tmp_path / "ar.txt"
            page.write_text(ARABIC.text, encoding="utf-8")
            summary = Ingestor(workspace).ingest([str(page)], language="ar")
            ((document_id, stage, error),) = summary.pipeline.failures
            assert stage == "translate"
            assert error.startswith("TranslationRejected: libretranslate at http://127.0.0.1")
            assert "HTTP 500: Translation failed" in error
            assert last_run(workspace, document_id, "translate").error == error
            assert last_run(workspace, document_id, "link").status == "ok"
            assert translations(workspace) == {}

            server.fail_status = None
            workspace.runner().run(retry_failed=True)
            assert last_run(workspace, document_id, "translate").status == "ok"
            translated = translations(workspace)[document_id]
            assert translated.backend == "libretranslate"
            assert "Akram al-Kaabi" in translated.text and "15 January 2020" in translated.text
