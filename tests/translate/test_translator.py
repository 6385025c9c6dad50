"""Whole documents through each backend: names and dates survive exactly for Arabic, Farsi
and Hebrew (gloss, and LibreTranslate and OpenAI-style servers on 127.0.0.1); the backend
never sees them; batches, the cache in the store, and failures that leave nothing written."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from marsad.errors import TranslationRejected, TranslationTimeout, TranslationUnavailable
from marsad.store.models import DateMention, Document, Mention, TranslationCacheEntry
from marsad.translate.backend import TranslationBackend
from marsad.translate.gloss import GlossBackend
from marsad.translate.libretranslate import LibreTranslateBackend
from marsad.translate.openai_compatible import OpenAICompatibleBackend
from marsad.translate.render import target_language
from marsad.translate.translator import BackendGuard, DocumentTranslator
from marsad.workspace import Workspace
from tests.conftest import workspace_for
from tests.translate.corpus import ARTICLES, Article, ingest_articles, load_kb
from tests.translate.servers import FakeTranslator, translation_server

PLACEHOLDER = re.compile(r"⟦\s*\d+\s*⟧")
WORD = re.compile(r"[^\W\d_]+")


def machine_translation(segment: str) -> str:
    """What an MT engine does to a sentence, roughly: every word replaced, word order
    changed (placeholders move to the front), spacing inside placeholders altered."""
    placeholders = [p.replace("⟦", "⟦ ").replace("⟧", " ⟧") for p in PLACEHOLDER.findall(segment)]
    words = ["word" for _ in WORD.finditer(PLACEHOLDER.sub(" ", segment))]
    return " ".join([*placeholders, *words]) + "."


@pytest.fixture(scope="module")
def corpus(
    backend: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Workspace, dict[str, int]]]:
    folder = tmp_path_factory.mktemp("translate")
    with workspace_for(backend, folder) as workspace:
        load_kb(workspace, folder)
        yield workspace, ingest_articles(workspace, folder)


def translate(
    workspace: Workspace, document_id: int, backend: TranslationBackend, batch_size: int = 16
) -> str:
    translator = DocumentTranslator(backend, target_language("en"), batch_size)
    with workspace.database.session() as session:
        document = session.get(Document, document_id)
        assert document is not None
        return translator.translate(session, document).text


def protected_surfaces(workspace: Workspace, document_id: int) -> list[str]:
    """The names and date expressions as the source wrote them."""
    with workspace.database.session() as session:
        names = session.scalars(
            select(Mention.surface).where(
                Mention.document_id == document_id, Mention.entity_id.is_not(None)
            )
        ).all()
        dates = session.scalars(
            select(DateMention.expression).where(DateMention.document_id == document_id)
        ).all()
    return [*names, *dates]


def assert_names_and_dates_survive(article: Article, translated: str) -> None:
    for expected in (*article.names, *article.dates):
        assert expected in translated, (article.name, expected, translated)


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.name)
def test_gloss_keeps_names_and_dates_exactly(
    corpus: tuple[Workspace, dict[str, int]], article: Article
) -> None:
    workspace, ids = corpus
    translated = translate(workspace, ids[article.name], GlossBackend())
    assert_names_and_dates_survive(article, translated)
    surfaces = protected_surfaces(workspace, ids[article.name])
    assert len(surfaces) == len(article.names) + len(article.dates)
    assert [s for s in surfaces if s in translated] == []


def http_backend(kind: str, server: FakeTranslator) -> TranslationBackend:
    if kind == "libretranslate":
        return LibreTranslateBackend(server.base_url, server.api_key, timeout=5)
    return OpenAICompatibleBackend(server.base_url + "/v1", server.model, server.api_key, 5)


@pytest.mark.parametrize("kind", ["libretranslate", "openai-compatible"])
@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.name)
def test_http_backends_keep_names_and_dates_exactly(
    corpus: tuple[Workspace, dict[str, int]], article: Article, kind: str
) -> None:
    workspace, ids = corpus
    with translation_server(FakeTranslator(machine_translation, api_key="k-123")) as server:
        translated = translate(workspace, ids[article.name], http_backend(kind, server))
        received = server.segments_received()
    assert_names_and_dates_survive(article, translated)
    # The server saw placeholders, never the names or date expressions themselves.
    assert any(PLACEHOLDER.search(segment) for segment in received)
    for surface in protected_surfaces(workspace, ids[article.name]):
        assert all(surface not in segment for segment in received), surface
    assert "word" in translated


def test_libretranslate_requests_follow_the_api(corpus: tuple[Workspace, dict[str, int]]) -> None:
    workspace, ids = corpus
    with translation_server(FakeTranslator(machine_translation, api_key="k-123")) as server:
        translate(workspace, ids["ar-meeting"], http_backend("libretranslate", server), 2)
    assert len(server.requests) == 2  # three sentences, two per request
    for body in server.requests:
        assert set(body) == {"q", "source", "target", "format", "api_key"}
        assert body["source"] == "ar" and body["target"] == "en" and body["format"] == "text"
        assert isinstance(body["q"], list) and 1 <= len(body["q"]) <= 2
        assert body["api_key"] == "k-123"


def test_openai_requests_follow_the_api(corpus: tuple[Workspace, dict[str, int]]) -> None:
    workspace, ids = corpus
    with translation_server(FakeTranslator(machine_translation, api_key="sk-test")) as server:
        translate(workspace, ids["fa-meeting"], http_backend("openai-compatible", server))
    (body,) = server.requests
    assert server.headers[0]["Authorization"] == "Bearer sk-test"
    assert body["model"] == "test-model" and body["temperature"] == 0
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert "⟦1⟧" in body["messages"][0]["content"]  # the prompt asks to keep placeholders


def test_a_wrong_api_key_is_a_rejection_with_the_servers_message(
    corpus: tuple[Workspace, dict[str, int]],
) -> None:
    workspace, ids = corpus
    with translation_server(FakeTranslator(machine_translation, api_key="right")) as server:
        backend = LibreTranslateBackend(server.base_url, "wrong", timeout=5)
        with pytest.raises(TranslationRejected, match="HTTP 403: Invalid API key"):
            translate(workspace, ids["he-meeting"], backend)
        openai = OpenAICompatibleBackend(server.base_url + "/v1", "test-model", "wrong", 5)
        with pytest.raises(TranslationRejected, match="HTTP 401: Incorrect API key"):
            translate(workspace, ids["he-meeting"], openai)


def test_the_cache_sends_each_sentence_once_per_backend_version(
    corpus: tuple[Workspace, dict[str, int]],
) -> None:
    workspace, ids = corpus
    with translation_server(FakeTranslator(machine_translation)) as server:
        backend = http_backend("libretranslate", server)
        first = translate(workspace, ids["he-meeting"], backend)
        sent = len(server.segments_received())
        assert translate(workspace, ids["he-meeting"], backend) == first
        assert len(server.segments_received()) == sent  # all from the cache
        with workspace.database.session() as session:
            stored = session.scalar(
                select(func.count(TranslationCacheEntry.id)).where(
                    TranslationCacheEntry.backend_version == backend.version
                )
            )
        assert stored == sent
        other_server = LibreTranslateBackend(server.base_url + "/", None, 5)
        other_server.version = "another-model"
        translate(workspace, ids["he-meeting"], other_server)
        assert len(server.segments_received()) == 2 * sent


def test_a_server_error_or_timeout_raises_and_writes_nothing(
    corpus: tuple[Workspace, dict[str, int]],
) -> None:
    workspace, ids = corpus
    with translation_server(FakeTranslator(machine_translation, fail_status=500)) as server:
        with pytest.raises(TranslationRejected, match="HTTP 500: Translation failed"):
            translate(workspace, ids["ar-meeting"], http_backend("openai-compatible", server))
    with translation_server(FakeTranslator(machine_translation, delay=1.0)) as server:
        slow = LibreTranslateBackend(server.base_url, None, timeout=0.2)
        with pytest.raises(TranslationTimeout, match=r"did not answer within 0\.2 s"):
            translate(workspace, ids["ar-meeting"], slow)
    closed = LibreTranslateBackend(server.base_url, None, timeout=1)  # server is gone
    with pytest.raises(TranslationUnavailable, match="cannot be reached"):
        translate(workspace, ids["ar-meeting"], closed)


def test_a_failing_backend_rests_after_failures_in_a_row(
    corpus: tuple[Workspace, dict[str, int]],
) -> None:
    workspace, ids = corpus
    now = [0.0]
    guard = BackendGuard(failures_before_rest=2, rest_seconds=30, clock=lambda: now[0])
    with translation_server(FakeTranslator(machine_translation, fail_status=503)) as server:
        translator = DocumentTranslator(
            http_backend("libretranslate", server), target_language("en"), guard=guard
        )
        with workspace.database.session() as session:
            document = session.get(Document, ids["fa-meeting"])
            assert document is not None
            for _ in range(2):
                with pytest.raises(TranslationRejected):
                    translator.translate(session, document)
            with pytest.raises(TranslationUnavailable, match="rests for 30 s"):
                translator.translate(session, document)
            assert len(server.requests) == 2  # the resting backend was not asked
            server.fail_status = None
            now[0] = 31.0
            assert "Akram al-Kaabi" in translator.translate(session, document).text


def test_names_survive_a_backend_that_drops_placeholders(
    corpus: tuple[Workspace, dict[str, int]],
) -> None:
    workspace, ids = corpus
    with translation_server(FakeTranslator(lambda s: PLACEHOLDER.sub("", s))) as server:
        translated = translate(
            workspace, ids["ar-meeting"], http_backend("openai-compatible", server)
        )
    assert (
        "[Harakat Hezbollah al-Nujaba; Akram al-Kaabi; Baghdad; 15 January 2020; "
        "possibly 22 January 2020]"
    ) in translated


def test_openai_answers_outside_the_shape_are_rejected() -> None:
    backend = OpenAICompatibleBackend("http://127.0.0.1:9/v1", "m", None, 1)
    ok = {"choices": [{"message": {"content": '```json\n{"translations": ["a"]}\n```'}}]}
    assert backend._translations(ok) == ["a"]
    for body in (
        {},
        {"choices": []},
        {"choices": [{"message": {"content": "Sure! Here is the translation"}}]},
        {"choices": [{"message": {"content": '{"translation": "a"}'}}]},
    ):
        with pytest.raises(TranslationRejected):
            backend._translations(body)


def test_a_sentence_already_in_the_target_language_is_kept_as_written(
    tmp_path: Path, workspace: Workspace
) -> None:
    mixed = Article(
        "ar-quote",
        "ar",
        "قال أكرم الكعبي في بغداد إن الاجتماع سيكون مفتوحا.\n\n"
        "The committee will meet in Baghdad next week, the statement said in English.\n",
        ("Akram al-Kaabi",),
        (),
    )
    load_kb(workspace, tmp_path)
    ids = ingest_articles(workspace, tmp_path, (mixed,))
    with translation_server(FakeTranslator(machine_translation)) as server:
        translated = translate(workspace, ids["ar-quote"], http_backend("libretranslate", server))
    assert translated.endswith(
        "\n\nThe committee will meet in Baghdad next week, the statement said in English."
    )
    assert len(server.segments_received()) == 1
