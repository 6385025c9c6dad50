"""The `openai-compatible` backend: any server with OpenAI's POST /v1/chat/completions
(OpenAI, vLLM, llama.cpp's server, Ollama, LocalAI, ...).

One request per batch: the segments go as a JSON object in the user message, and the model is
asked for {"translations": [...]} in the same order (response_format json_object). Answer:
{"choices": [{"message": {"role": "assistant", "content": "<that JSON>"}}], ...}.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

import httpx

from marsad.config import Settings
from marsad.errors import TranslationBackendNotConfigured, TranslationRejected
from marsad.translate.http import post_json
from marsad.translate.settings import OPENAI_API_KEY, OPENAI_MODEL, OPENAI_URL, TIMEOUT

PROMPT_VERSION = "1"
SYSTEM_PROMPT = (
    "You are a translation engine for news and statements. Translate every segment from "
    "{source} into {target}, faithfully and completely, without comment. Segments contain "
    "placeholders such as ⟦1⟧ that stand for names and dates: copy each placeholder unchanged "
    'to its place in the translation. Answer with one JSON object {{"translations": [...]}} '
    "holding exactly one translated string per segment, in the same order."
)
CODE_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.DOTALL)


class OpenAICompatibleBackend:
    name = "openai-compatible"
    cacheable = True

    def __init__(self, base_url: str, model: str, api_key: str | None, timeout: float) -> None:
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.model = model
        self.api_key = api_key
        self.timeout = timeout
        self.client = httpx.Client(timeout=timeout)
        self.version = f"{model}@{base_url.rstrip('/')}/prompt-{PROMPT_VERSION}"

    def request_body(
        self, segments: Sequence[str], source_language: str, target_language: str
    ) -> dict[str, Any]:
        system = SYSTEM_PROMPT.format(source=source_language, target=target_language)
        user = json.dumps(
            {
                "source_language": source_language,
                "target_language": target_language,
                "segments": list(segments),
            },
            ensure_ascii=False,
        )
        return {
            "model": self.model,
            "messages": [
                {"role": "system", "content": system},
                {"role": "user", "content": user},
            ],
            "temperature": 0,
            "response_format": {"type": "json_object"},
        }

    def translate_batch(
        self, segments: Sequence[str], source_language: str, target_language: str
    ) -> list[str]:
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else None
        body = post_json(
            self.client,
            self.url,
            self.request_body(segments, source_language, target_language),
            self.name,
            headers,
        )
        return self._translations(body)

    def _translations(self, body: Any) -> list[str]:
        try:
            content = body["choices"][0]["message"]["content"]
        except (KeyError, IndexError, TypeError):
            raise TranslationRejected(
                f"{self.name} at {self.url} answered without choices[0].message.content"
            ) from None
        fenced = CODE_FENCE.match(content or "")
        try:
            answer = json.loads(fenced.group(1) if fenced else content)
        except (TypeError, ValueError):
            raise TranslationRejected(
                f"{self.name} model {self.model} answered with something not JSON: "
                f"{str(content)[:120]!r}"
            ) from None
        translations = answer.get("translations") if isinstance(answer, dict) else None
        if not isinstance(translations, list) or not all(isinstance(t, str) for t in translations):
            raise TranslationRejected(
                f"{self.name} model {self.model} answered without a translations list"
            )
        return translations


def create(settings: Settings) -> OpenAICompatibleBackend:
    url, model = settings.value_of(OPENAI_URL), settings.value_of(OPENAI_MODEL)
    if not url or not model:
        raise TranslationBackendNotConfigured(
            f"the openai-compatible backend needs {OPENAI_URL.env_var} and {OPENAI_MODEL.env_var}"
        )
    return OpenAICompatibleBackend(
        url, model, settings.value_of(OPENAI_API_KEY), settings.value_of(TIMEOUT)
    )
