"""`marsad translate` as a user runs it: a real process against a LibreTranslate-style server
on 127.0.0.1, failures reported with exit status 1 and retried later."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.export.records import records_of
from marsad.workspace import Workspace
from tests.commandline import marsad_for
from tests.translate.corpus import ARTICLES, ingest_articles, load_kb
from tests.translate.servers import FakeTranslator, translation_server


@pytest.mark.slow  # four `marsad` processes
def test_translate_with_a_chosen_backend_and_retry_after_failure(
    workspace: Workspace, tmp_path: Path
) -> None:
    load_kb(workspace, tmp_path)
    ids = ingest_articles(workspace, tmp_path, ARTICLES[:2])
    settings = workspace.settings
    with translation_server(FakeTranslator(str.upper, fail_status=503)) as server:
        env = {"MARSAD_TRANSLATE_LIBRETRANSLATE_URL": server.base_url}
        failed = marsad_for(
            settings,
            "translate",
            "--backend",
            "libretranslate",
            "--all",
            extra_env=env,
            check=False,
        )
        assert failed.returncode == 1
        assert f"not translated document {ids['ar-meeting']}: TranslationRejected" in failed.stdout
        assert "2 documents, 0 done, 2 failed" in failed.stdout
        assert "marsad translate --retry-failed" in failed.stdout

        server.fail_status = None
        retried = marsad_for(
            settings, "translate", "--backend", "libretranslate", "--retry-failed", extra_env=env
        )
        assert "2 done, 0 failed" in retried.stdout
        one = marsad_for(
            settings,
            "translate",
            "--backend",
            "libretranslate",
            str(ids["fa-meeting"]),
            extra_env=env,
        )
        assert "(libretranslate → en): 1 documents, 1 done" in one.stdout
    with workspace.database.session() as session:
        records = list(records_of("translations", session))
    by_backend = {(r["document_id"], r["backend"]) for r in records}
    assert by_backend == {(i, b) for i in ids.values() for b in ("gloss", "libretranslate")}
    machine = next(r for r in records if r["backend"] == "libretranslate")
    assert "Harakat Hezbollah al-Nujaba" in machine["text"]  # restored after upper-casing


def test_translate_refuses_what_it_cannot_do(workspace: Workspace) -> None:
    settings = workspace.settings
    cases = {
        ("translate",): "name documents by id, or use --all or --retry-failed",
        ("translate", "--all", "--backend", "deepl"): (
            "no translation backend named 'deepl' (installed: argos, ctranslate2, gloss, "
        ),
        ("translate", "999"): "no document with id 999",
    }
    for args, message in cases.items():
        result = marsad_for(settings, *args, check=False)
        assert result.returncode == 1, args
        assert message in result.stderr, (args, result.stderr)
