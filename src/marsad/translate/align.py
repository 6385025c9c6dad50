"""Sentence alignment between a document and its translation: which stretch of the original
(start/end offsets into the document text) became which stretch of the translated text.

Stored on the `Translation` row (`alignment`), so the UI can show both side by side and an
evidence quote (a mention, a relation, an event's evidence span) can be shown in translation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from marsad.store.models import Document, Translation
from marsad.text.date_stage import language_runs
from marsad.text.segment import Segmenter
from marsad.translate.protect import ProtectedSpan


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    language: str | None


@dataclass(frozen=True)
class SentencePair:
    source_start: int
    source_end: int
    target_start: int
    target_end: int
    # Renderings of names/dates whose placeholder the backend dropped (appended to the text).
    lost: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        pair: dict[str, Any] = {
            "source": [self.source_start, self.source_end],
            "target": [self.target_start, self.target_end],
        }
        if self.lost:
            pair["lost"] = list(self.lost)
        return pair

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SentencePair:
        source, target = data["source"], data["target"]
        lost = tuple(str(name) for name in data.get("lost", ()))
        return cls(int(source[0]), int(source[1]), int(target[0]), int(target[1]), lost)


@dataclass(frozen=True)
class SpanTranslation:
    """The translation of the sentences covering a span, and the original stretch they cover."""

    text: str
    source_start: int
    source_end: int


def document_sentences(
    document: Document, spans: Sequence[ProtectedSpan], segmenter: Segmenter
) -> list[Sentence]:
    """Sentences of each language span, read with that language's rules; a sentence that a
    protected span runs out of is joined with the next, so no name or date is cut in two."""
    text = document.text or ""
    pieces: list[Sentence] = []
    for run_start, run_end, language in language_runs(document):
        for segment in segmenter.sentences(text[run_start:run_end], language):
            pieces.append(Sentence(run_start + segment.start, run_start + segment.end, language))
    merged: list[Sentence] = []
    for piece in pieces:
        previous = merged[-1] if merged else None
        if previous is not None and any(span.start < previous.end < span.end for span in spans):
            merged[-1] = Sentence(previous.start, piece.end, previous.language)
        else:
            merged.append(piece)
    return merged


def separator(original_gap: str) -> str:
    """What stands between two translated sentences: the original's line breaks (at most a
    blank line), otherwise one space."""
    newlines = original_gap.count("\n")
    return "\n" * min(newlines, 2) if newlines else " "


def assemble(
    document_text: str,
    sentences: Sequence[Sentence],
    translations: Sequence[str],
    lost: Sequence[tuple[str, ...]],
) -> tuple[str, list[SentencePair]]:
    """The translated text and its alignment, sentence by sentence."""
    parts: list[str] = []
    pairs: list[SentencePair] = []
    position = 0
    for index, (sentence, translated) in enumerate(zip(sentences, translations, strict=True)):
        if index:
            gap = separator(document_text[sentences[index - 1].end : sentence.start])
            parts.append(gap)
            position += len(gap)
        parts.append(translated)
        pairs.append(
            SentencePair(
                sentence.start, sentence.end, position, position + len(translated), lost[index]
            )
        )
        position += len(translated)
    return "".join(parts), pairs


def sentence_pairs(translation: Translation) -> list[SentencePair]:
    return [SentencePair.from_json(pair) for pair in translation.alignment or []]


def translation_of_span(translation: Translation, start: int, end: int) -> SpanTranslation | None:
    """The translation of the original's text[start:end]: the translated sentences that
    overlap it (sentence granularity), or None when no sentence does."""
    covering = [
        pair
        for pair in sentence_pairs(translation)
        if pair.source_start < max(end, start + 1) and pair.source_end > start
    ]
    if not covering:
        return None
    first, last = covering[0], covering[-1]
    return SpanTranslation(
        translation.text[first.target_start : last.target_end],
        first.source_start,
        last.source_end,
    )
