"""The local MT backends load real CTranslate2 models — a tiny one built by the test (random
weights, so its output is noise) — tokenise with SentencePiece, translate in batches, and say
clearly what is missing when a model directory or Argos package is not there."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from marsad.errors import TranslationBackendNotConfigured, TranslationModelMissing
from marsad.translate.backend import create_backend
from marsad.translate.local import ArgosBackend, CTranslate2Backend
from marsad.translate.protect import ProtectedSpan, protect_segment, restore
from tests.conftest import make_settings
from tests.translate.tiny_model import build_argos_package, build_model, train_sentencepiece

SEGMENTS = ["قال الأمين العام ⟦1⟧ إن اللجنة ستجتمع", "the committee will meet", "وأضاف ⟦1⟧ أن"]


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("argos-packages")
    build_argos_package(folder, "ar", "en")
    return folder


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("ct2")
    spm = train_sentencepiece(folder)
    shutil.copy(spm, folder / "source.spm")
    shutil.copy(spm, folder / "target.spm")
    return build_model(folder / "model", spm)


def test_ctranslate2_translates_a_batch_with_the_model_it_loaded(model_dir: Path) -> None:
    backend = CTranslate2Backend(model_dir)
    outputs = backend.translate_batch(SEGMENTS, "ar", "en")
    assert len(outputs) == len(SEGMENTS)
    assert all(isinstance(text, str) and text for text in outputs)
    assert backend.version.startswith("model-") and backend.cacheable


def test_names_survive_a_model_that_garbles_everything(model_dir: Path) -> None:
    text = "قال أكرم الكعبي إن اللجنة ستجتمع"
    segment = protect_segment(
        text, 0, len(text), "ar", [ProtectedSpan(4, 15, "Akram al-Kaabi", "entity")]
    )
    (output,) = CTranslate2Backend(model_dir).translate_batch([segment.text], "ar", "en")
    assert "Akram al-Kaabi" in restore(output, segment).text


def test_argos_uses_the_package_of_the_language_pair(packages: Path) -> None:
    backend = create_backend(
        "argos", make_settings(packages, "sqlite://", translate_argos_packages_dir=str(packages))
    )
    assert isinstance(backend, ArgosBackend)
    assert len(backend.translate_batch(SEGMENTS, "ar", "en")) == 3
    with pytest.raises(TranslationModelMissing, match=r"no Argos package for fa→en .*ar→en"):
        backend.translate_batch(SEGMENTS, "fa", "en")


def test_a_missing_model_is_a_clear_error(tmp_path: Path, model_dir: Path) -> None:
    with pytest.raises(TranslationModelMissing, match=r"model\.bin missing"):
        CTranslate2Backend(tmp_path / "nowhere")
    with pytest.raises(TranslationBackendNotConfigured, match="MARSAD_TRANSLATE_CTRANSLATE2"):
        create_backend("ctranslate2", make_settings(tmp_path, "sqlite://"))
    with pytest.raises(TranslationModelMissing, match="no Argos Translate package in"):
        ArgosBackend(tmp_path)
    without_tokeniser = tmp_path / "bare" / "model"
    shutil.copytree(model_dir, without_tokeniser)
    with pytest.raises(TranslationModelMissing, match="no SentencePiece model"):
        CTranslate2Backend(without_tokeniser)


def test_a_damaged_model_file_is_reported(tmp_path: Path, model_dir: Path) -> None:
    damaged = tmp_path / "damaged"
    shutil.copytree(model_dir.parent, damaged)
    (damaged / "model" / "model.bin").write_bytes(b"not a model")
    with pytest.raises(TranslationModelMissing, match="CTranslate2 cannot load"):
        CTranslate2Backend(damaged / "model")
