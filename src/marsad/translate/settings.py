"""The settings of the `translate` stage and of its backends, declared as data."""

from __future__ import annotations

import re

from marsad.config import Setting, parse_name_list, parse_positive_float, parse_positive_int

LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
EVERY = "*"


def parse_language_code(raw: str) -> str:
    code = raw.strip()
    if not LANGUAGE_CODE.match(code):
        raise ValueError(f"expected an ISO 639 language code such as en, got {raw!r}")
    return code


def parse_optional(raw: str) -> str | None:
    return raw.strip() or None


BACKEND = Setting(
    "translate_backend",
    "gloss",
    "Translation backend of the translate stage: gloss (offline), libretranslate, "
    "openai-compatible, ctranslate2 or argos.",
    lambda raw: raw.strip(),
)
TARGET = Setting(
    "translate_target", "en", "Language documents are translated into.", parse_language_code
)
LANGUAGES = Setting(
    "translate_languages",
    frozenset({EVERY}),
    "Languages the stage translates, comma-separated; * for every language other than the "
    "target; empty switches the stage off.",
    parse_name_list,
)
SOURCES = Setting(
    "translate_sources",
    frozenset({EVERY}),
    "Names of the sources whose documents the stage translates, comma-separated; * for all.",
    parse_name_list,
)
TIMEOUT = Setting(
    "translate_timeout",
    30.0,
    "Seconds one request to a translation backend may take.",
    parse_positive_float,
)
BATCH_SIZE = Setting(
    "translate_batch_size",
    16,
    "Sentences sent to a backend in one request.",
    parse_positive_int,
)
LIBRETRANSLATE_URL = Setting(
    "translate_libretranslate_url",
    None,
    "Base URL of a LibreTranslate server, e.g. http://127.0.0.1:5000.",
    parse_optional,
)
LIBRETRANSLATE_API_KEY = Setting(
    "translate_libretranslate_api_key",
    None,
    "API key of the LibreTranslate server.",
    parse_optional,
)
OPENAI_URL = Setting(
    "translate_openai_url",
    None,
    "Base URL of an OpenAI-compatible API, including /v1 (e.g. http://127.0.0.1:8080/v1).",
    parse_optional,
)
OPENAI_API_KEY = Setting(
    "translate_openai_api_key", None, "Bearer key of the OpenAI-compatible API.", parse_optional
)
OPENAI_MODEL = Setting(
    "translate_openai_model", None, "Model name sent to the OpenAI-compatible API.", parse_optional
)
CTRANSLATE2_MODEL_DIR = Setting(
    "translate_ctranslate2_model_dir",
    None,
    "Directory of a CTranslate2 model (model.bin, vocabularies, SentencePiece models).",
    parse_optional,
)
ARGOS_PACKAGES_DIR = Setting(
    "translate_argos_packages_dir",
    "~/.local/share/argos-translate/packages",
    "Folder of installed Argos Translate packages (one folder per language pair).",
)

BACKEND_SETTINGS = (
    TIMEOUT,
    BATCH_SIZE,
    LIBRETRANSLATE_URL,
    LIBRETRANSLATE_API_KEY,
    OPENAI_URL,
    OPENAI_API_KEY,
    OPENAI_MODEL,
    CTRANSLATE2_MODEL_DIR,
    ARGOS_PACKAGES_DIR,
)
STAGE_SETTINGS = (BACKEND, TARGET, LANGUAGES, SOURCES, *BACKEND_SETTINGS)
