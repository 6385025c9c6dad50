"""The `translate` stage: a translation of each document into the target language, made by
the configured backend with names and dates protected, stored with its sentence alignment.

On by default with the offline `gloss` backend for every language but the target; the
languages and sources it covers are settings. A backend that fails or times out fails the
stage for that document only — the error is recorded in `stage_runs`, any earlier translation
stays, nothing waits on this stage — and `marsad translate --retry-failed` (or `marsad run
--retry-failed`) tries again.
"""

from __future__ import annotations

from marsad.config import Settings
from marsad.pipeline.stage import BaseStage, StageContext
from marsad.store.models import Document
from marsad.translate.backend import create_backend
from marsad.translate.render import target_language
from marsad.translate.settings import (
    BACKEND,
    BACKEND_SETTINGS,
    BATCH_SIZE,
    EVERY,
    LANGUAGES,
    SOURCES,
    STAGE_SETTINGS,
    TARGET,
)
from marsad.translate.translator import DocumentTranslator, save_translation

# One translator (loaded model, open glossaries, failure guard) per configuration.
_translators: dict[tuple[object, ...], DocumentTranslator] = {}


def translator_for(settings: Settings) -> DocumentTranslator:
    key = (
        settings.value_of(BACKEND),
        settings.value_of(TARGET),
        settings.normalize_skip,
        *(settings.value_of(setting) for setting in BACKEND_SETTINGS),
    )
    translator = _translators.get(key)
    if translator is None:
        backend = create_backend(settings.value_of(BACKEND), settings)
        translator = DocumentTranslator(
            backend, target_language(settings.value_of(TARGET)), settings.value_of(BATCH_SIZE)
        )
        _translators[key] = translator
    return translator


def is_wanted(document: Document, settings: Settings) -> bool:
    """Whether the settings ask for this document's translation."""
    if not document.text or document.language == settings.value_of(TARGET):
        return False
    languages = settings.value_of(LANGUAGES)
    if EVERY not in languages and document.language not in languages:
        return False
    sources = settings.value_of(SOURCES)
    source = document.capture.source
    return EVERY in sources or (source is not None and source.name in sources)


class TranslateStage(BaseStage):
    name = "translate"
    version = "1"
    requires = ("link", "dates")
    description = (
        "Translation into the target language by a pluggable backend (offline gloss by "
        "default; LibreTranslate, OpenAI-compatible, CTranslate2, Argos), with linked names "
        "and dates protected and restored in canonical English, sentence alignment stored, "
        "and a segment cache in the database."
    )
    settings = STAGE_SETTINGS

    def process(self, ctx: StageContext) -> None:
        if not is_wanted(ctx.document, ctx.settings):
            return
        translator = translator_for(ctx.settings)
        result = translator.translate(ctx.session, ctx.document)
        save_translation(
            ctx.session,
            ctx.document,
            translator.backend,
            translator.target.code,
            result,
        )
