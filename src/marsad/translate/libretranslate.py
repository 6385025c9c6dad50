"""The `libretranslate` backend: a LibreTranslate server's POST /translate.

Request (JSON): {"q": [segments], "source": "ar", "target": "en", "format": "text",
"api_key": "..."}; answer: {"translatedText": [translations]} in the same order (a single
string when q was one string). Errors: {"error": "..."} with HTTP 400, 403, 429 or 500.
"""

from __future__ import annotations

from collections.abc import Sequence

import httpx

from marsad.config import Settings
from marsad.errors import TranslationBackendNotConfigured, TranslationRejected
from marsad.text.langid import UNDETERMINED
from marsad.translate.http import post_json
from marsad.translate.settings import LIBRETRANSLATE_API_KEY, LIBRETRANSLATE_URL, TIMEOUT


class LibreTranslateBackend:
    name = "libretranslate"
    cacheable = True

    def __init__(self, base_url: str, api_key: str | None, timeout: float) -> None:
        self.url = base_url.rstrip("/") + "/translate"
        self.api_key = api_key
        self.timeout = timeout
        # One client per backend: connections are reused across batches and documents.
        self.client = httpx.Client(timeout=timeout)
        # The server decides the model; its URL stands for it in the cache key.
        self.version = base_url.rstrip("/")

    def translate_batch(
        self, segments: Sequence[str], source_language: str, target_language: str
    ) -> list[str]:
        payload: dict[str, object] = {
            "q": list(segments),
            # A sentence whose language langid could not tell: the server detects it.
            "source": "auto" if source_language == UNDETERMINED else source_language,
            "target": target_language,
            "format": "text",
        }
        if self.api_key:
            payload["api_key"] = self.api_key
        body = post_json(self.client, self.url, payload, self.name)
        translated = body.get("translatedText") if isinstance(body, dict) else None
        if isinstance(translated, str) and len(segments) == 1:
            translated = [translated]
        if not isinstance(translated, list) or not all(isinstance(t, str) for t in translated):
            raise TranslationRejected(
                f"{self.name} at {self.url} answered without a translatedText list"
            )
        return translated


def create(settings: Settings) -> LibreTranslateBackend:
    url = settings.value_of(LIBRETRANSLATE_URL)
    if not url:
        raise TranslationBackendNotConfigured(
            f"the libretranslate backend needs {LIBRETRANSLATE_URL.env_var}"
        )
    return LibreTranslateBackend(
        url, settings.value_of(LIBRETRANSLATE_API_KEY), settings.value_of(TIMEOUT)
    )
