"""A tiny CTranslate2 Transformer built in the test, without downloads: a SentencePiece model
trained on a few synthetic sentences, and a one-layer Transformer with random weights over
its vocabulary, written by CTranslate2's own model spec. Its output is meaningless — the point
is that the real loading, tokenising, batching and decoding code runs on a real model."""

from __future__ import annotations

import json
from pathlib import Path

import ctranslate2
import numpy as np
import sentencepiece
from ctranslate2.specs import model_spec, transformer_spec

CORPUS = [
    "قال الأمين العام إن اللجنة المشتركة ستجتمع الأسبوع المقبل",
    "وأضاف أن الاجتماع سيكون مفتوحا لممثلي الأهالي",
    "أعلنت الحركة في بيان رسمي عن حملة لتوزيع المساعدات",
    "the committee will meet next week to discuss services",
    "the meeting will be open to representatives of the residents",
    "⟦1⟧ ⟦2⟧ ⟦3⟧ ⟦4⟧",
]
DEPTH = 16
FFN = 32


def train_sentencepiece(folder: Path, vocab_size: int = 64) -> Path:
    corpus = folder / "corpus.txt"
    corpus.write_text("\n".join(CORPUS * 5) + "\n", encoding="utf-8")
    prefix = folder / "sentencepiece"
    sentencepiece.SentencePieceTrainer.train(
        input=str(corpus),
        model_prefix=str(prefix),
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        user_defined_symbols=["⟦", "⟧"],
        minloglevel=2,
    )
    return prefix.with_suffix(".model")


def _shape(scope: str, vocabulary: int) -> tuple[int, ...]:
    parts = scope.split("/")
    leaf, layer = parts[-1], parts[-2]
    if "embeddings" in layer or layer == "projection":
        return (vocabulary, DEPTH)
    if layer == "layer_norm":
        return (DEPTH,)
    if "ffn" in parts:
        return (FFN, DEPTH) if layer == "linear_0" else (DEPTH, FFN)
    if "self_attention" in parts:
        return (3 * DEPTH, DEPTH) if layer == "linear_0" else (DEPTH, DEPTH)
    if "attention" in parts:  # the decoder's attention over the encoder
        return (2 * DEPTH, DEPTH) if layer == "linear_1" else (DEPTH, DEPTH)
    raise AssertionError(f"no shape for {scope} ({leaf})")


def build_model(model_dir: Path, spm_model: Path) -> Path:
    processor = sentencepiece.SentencePieceProcessor(model_file=str(spm_model))
    tokens = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    spec = transformer_spec.TransformerSpec.from_config((1, 1), 2)
    rng = np.random.default_rng(7)

    def fill(layer: object, scope: str, value: object) -> None:
        if value is None:
            shape = _shape(scope, len(tokens))
            weight = rng.normal(0.0, 0.3, size=shape).astype(np.float32)
            if scope.endswith("gamma"):
                weight = np.ones(shape, dtype=np.float32)
            elif scope.endswith("beta"):
                weight = np.zeros(shape, dtype=np.float32)
            setattr(layer, scope.split("/")[-1], weight)

    model_spec.visit_spec(spec, fill)
    spec.register_source_vocabulary(tokens)
    spec.register_target_vocabulary(tokens)
    spec.validate()
    spec.optimize(quantization=None)
    model_dir.mkdir(parents=True, exist_ok=True)
    spec.save(str(model_dir))
    assert ctranslate2.contains_model(str(model_dir))
    return model_dir


def build_argos_package(packages_dir: Path, source: str, target: str) -> Path:
    """An installed-Argos-package layout: metadata.json, model/, sentencepiece.model."""
    package = packages_dir / f"translate-{source}_{target}-1_0"
    package.mkdir(parents=True)
    spm_model = train_sentencepiece(package)
    build_model(package / "model", spm_model)
    (package / "metadata.json").write_text(
        json.dumps({"package_version": "1.0", "from_code": source, "to_code": target}),
        encoding="utf-8",
    )
    return package
