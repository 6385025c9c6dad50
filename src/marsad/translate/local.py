"""Local neural MT: the `ctranslate2` backend (a CTranslate2 model directory) and the `argos`
backend (an installed Argos Translate package: a CTranslate2 model plus its SentencePiece
model, chosen by the package's language pair). Both need the optional `mt` extra
(`pip install marsad[mt]`: ctranslate2, sentencepiece); nothing is downloaded at run time.

A model directory holds `model.bin` and the vocabularies CTranslate2 wrote, and the
SentencePiece models of its tokenisation: `source.spm` and `target.spm`, or one shared
`sentencepiece.model` (Argos' layout) next to it or one folder up.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from marsad.config import Settings
from marsad.errors import (
    TranslationBackendNotConfigured,
    TranslationModelMissing,
    TranslationRejected,
    TranslationUnavailable,
)
from marsad.translate.settings import ARGOS_PACKAGES_DIR, CTRANSLATE2_MODEL_DIR

SHARED_SPM = "sentencepiece.model"
BEAM_SIZE = 2
# A runaway decoder stops at this many tokens per input token (plus a floor).
DECODE_RATIO = 3
DECODE_FLOOR = 16


def _import_mt() -> tuple[Any, Any]:
    try:
        import ctranslate2
        import sentencepiece
    except ImportError:
        raise TranslationUnavailable(
            "local MT needs the optional extra: pip install 'marsad[mt]' "
            "(ctranslate2, sentencepiece)"
        ) from None
    return ctranslate2, sentencepiece


@dataclass(frozen=True)
class ModelFiles:
    model_dir: Path
    source_spm: Path
    target_spm: Path

    @classmethod
    def find(cls, model_dir: Path) -> ModelFiles:
        if not (model_dir / "model.bin").is_file():
            raise TranslationModelMissing(
                f"no CTranslate2 model at {model_dir} (model.bin missing): convert one with "
                "ct2-transformers-converter / ct2-opus-mt-converter or install an Argos package"
            )
        for folder in (model_dir, model_dir.parent):
            if (folder / "source.spm").is_file() and (folder / "target.spm").is_file():
                return cls(model_dir, folder / "source.spm", folder / "target.spm")
            if (folder / SHARED_SPM).is_file():
                return cls(model_dir, folder / SHARED_SPM, folder / SHARED_SPM)
        raise TranslationModelMissing(
            f"no SentencePiece model for {model_dir}: expected source.spm and target.spm, "
            f"or {SHARED_SPM}, in it or its parent folder"
        )

    def fingerprint(self) -> str:
        digest = hashlib.sha256()
        for path in (self.model_dir / "model.bin", self.source_spm, self.target_spm):
            stat = path.stat()
            digest.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
        return digest.hexdigest()[:12]


class LocalModel:
    """One loaded CTranslate2 model with its tokenisers; translates batches on the CPU."""

    def __init__(self, files: ModelFiles, threads: int = 1) -> None:
        ctranslate2, sentencepiece = _import_mt()
        self.files = files
        try:
            self.translator = ctranslate2.Translator(
                str(files.model_dir), device="cpu", inter_threads=1, intra_threads=threads
            )
        except (RuntimeError, ValueError) as exc:
            raise TranslationModelMissing(
                f"CTranslate2 cannot load {files.model_dir}: {exc}"
            ) from None
        self.source = sentencepiece.SentencePieceProcessor(model_file=str(files.source_spm))
        self.target = sentencepiece.SentencePieceProcessor(model_file=str(files.target_spm))

    def translate(self, segments: Sequence[str], max_batch: int = 16) -> list[str]:
        tokenised = [self.source.encode(segment, out_type=str) for segment in segments]
        longest = max((len(tokens) for tokens in tokenised), default=0)
        try:
            results = self.translator.translate_batch(
                tokenised,
                max_batch_size=max_batch,
                beam_size=BEAM_SIZE,
                max_decoding_length=max(DECODE_FLOOR, DECODE_RATIO * longest),
            )
        except (RuntimeError, ValueError) as exc:
            raise TranslationRejected(f"CTranslate2 failed on a batch: {exc}") from None
        return [self.target.decode(result.hypotheses[0]) for result in results]


class CTranslate2Backend:
    name = "ctranslate2"
    cacheable = True

    def __init__(self, model_dir: Path) -> None:
        self.model = LocalModel(ModelFiles.find(model_dir))
        self.version = f"{model_dir.name}-{self.model.files.fingerprint()}"

    def translate_batch(
        self, segments: Sequence[str], source_language: str, target_language: str
    ) -> list[str]:
        # The model was trained for one pair; the settings name it, so languages are not checked.
        return self.model.translate(segments)


def argos_packages(packages_dir: Path) -> dict[tuple[str, str], Path]:
    """(from_code, to_code) → package folder, from each package's metadata.json."""
    found: dict[tuple[str, str], Path] = {}
    if not packages_dir.is_dir():
        return found
    for metadata_file in sorted(packages_dir.glob("*/metadata.json")):
        try:
            metadata = json.loads(metadata_file.read_text(encoding="utf-8"))
            pair = (str(metadata["from_code"]), str(metadata["to_code"]))
        except (OSError, ValueError, KeyError, TypeError):
            continue  # not an Argos package; others in the folder still count
        found.setdefault(pair, metadata_file.parent)
    return found


class ArgosBackend:
    name = "argos"
    cacheable = True

    def __init__(self, packages_dir: Path) -> None:
        self.packages_dir = packages_dir
        self.packages = argos_packages(packages_dir)
        if not self.packages:
            raise TranslationModelMissing(
                f"no Argos Translate package in {packages_dir} (each package is a folder "
                f"with metadata.json, model/ and {SHARED_SPM}); set {ARGOS_PACKAGES_DIR.env_var}"
            )
        self.version = hashlib.sha256(
            "|".join(
                f"{a}-{b}:{ModelFiles.find(p / 'model').fingerprint()}"
                for (a, b), p in sorted(self.packages.items())
            ).encode()
        ).hexdigest()[:12]
        self._models: dict[tuple[str, str], LocalModel] = {}

    def model_for(self, source_language: str, target_language: str) -> LocalModel:
        pair = (source_language, target_language)
        model = self._models.get(pair)
        if model is None:
            package = self.packages.get(pair)
            if package is None:
                pairs = ", ".join(f"{a}→{b}" for a, b in sorted(self.packages))
                raise TranslationModelMissing(
                    f"no Argos package for {source_language}→{target_language} in "
                    f"{self.packages_dir} (installed: {pairs})"
                )
            model = self._models[pair] = LocalModel(ModelFiles.find(package / "model"))
        return model

    def translate_batch(
        self, segments: Sequence[str], source_language: str, target_language: str
    ) -> list[str]:
        return self.model_for(source_language, target_language).translate(segments)


def create_ctranslate2(settings: Settings) -> CTranslate2Backend:
    model_dir = settings.value_of(CTRANSLATE2_MODEL_DIR)
    if not model_dir:
        raise TranslationBackendNotConfigured(
            f"the ctranslate2 backend needs {CTRANSLATE2_MODEL_DIR.env_var}"
        )
    return CTranslate2Backend(Path(model_dir).expanduser())


def create_argos(settings: Settings) -> ArgosBackend:
    return ArgosBackend(Path(settings.value_of(ARGOS_PACKAGES_DIR)).expanduser())
