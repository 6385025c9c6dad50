"""Translating one document: sentences, protection, cache, batches to the backend, restored
names and dates, the assembled text with its alignment, and the `Translation` row."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from marsad.errors import TranslationError, TranslationRejected, TranslationUnavailable
from marsad.store.models import Document, Translation, utcnow
from marsad.text.langid import UNDETERMINED
from marsad.text.segment import Segmenter, default_segmenter
from marsad.translate.align import SentencePair, assemble, document_sentences
from marsad.translate.backend import TranslationBackend
from marsad.translate.cache import TranslationCache, cache_key
from marsad.translate.protect import (
    ProtectedSegment,
    ProtectedSpan,
    protect_segment,
    protected_spans,
    restore,
)
from marsad.translate.render import TargetLanguage


class BackendGuard:
    """Keeps a failing backend from holding up the pipeline: after `failures_before_rest`
    failed documents in a row the backend rests for `rest_seconds`, and documents meanwhile
    fail at once (recorded, retried later) instead of each waiting for its timeout."""

    def __init__(
        self,
        failures_before_rest: int = 3,
        rest_seconds: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.failures_before_rest = failures_before_rest
        self.rest_seconds = rest_seconds
        self.clock = clock
        self.failures_in_a_row = 0
        self.resting_until = 0.0

    def check(self, backend: str) -> None:
        if self.clock() < self.resting_until:
            raise TranslationUnavailable(
                f"backend {backend} failed {self.failures_in_a_row} times in a row and rests "
                f"for {self.rest_seconds:g} s; the document is retried with "
                "`marsad translate --retry-failed`"
            )

    def succeeded(self) -> None:
        self.failures_in_a_row = 0

    def failed(self) -> None:
        self.failures_in_a_row += 1
        if self.failures_in_a_row >= self.failures_before_rest:
            self.resting_until = self.clock() + self.rest_seconds


@dataclass(frozen=True)
class DocumentTranslation:
    text: str
    pairs: list[SentencePair]
    source_language: str | None
    segments: int
    from_cache: int
    sent: int


class DocumentTranslator:
    def __init__(
        self,
        backend: TranslationBackend,
        target: TargetLanguage,
        batch_size: int = 16,
        segmenter: Segmenter | None = None,
        guard: BackendGuard | None = None,
    ) -> None:
        self.backend = backend
        self.target = target
        self.batch_size = batch_size
        self.segmenter = segmenter or default_segmenter()
        self.guard = guard or BackendGuard()

    def translate(self, session: Session, document: Document) -> DocumentTranslation:
        """Raises a TranslationError when the backend fails; nothing is written then."""
        spans = protected_spans(session, document, self.target)
        cache = TranslationCache(session) if self.backend.cacheable else None
        return self.translate_with_spans(document, spans, cache)

    def translate_with_spans(
        self,
        document: Document,
        spans: Sequence[ProtectedSpan],
        cache: TranslationCache | None = None,
    ) -> DocumentTranslation:
        """The translation of a document whose names and dates are `spans` (in text order,
        without overlaps), using the cache when one is given."""
        text = document.text or ""
        sentences = document_sentences(document, spans, self.segmenter)
        segments = [
            protect_segment(
                text,
                sentence.start,
                sentence.end,
                sentence.language or document.language or UNDETERMINED,
                spans,
            )
            for sentence in sentences
        ]
        translated, from_cache, sent = self._translate_segments(cache, segments)
        texts: list[str] = []
        lost: list[tuple[str, ...]] = []
        for index, segment in enumerate(segments):
            if index in translated:
                result = restore(translated[index], segment)
                texts.append(result.text)
                lost.append(result.lost)
            else:  # already in the target language: the original's own words
                texts.append(text[segment.start : segment.end])
                lost.append(())
        joined, pairs = assemble(text, sentences, texts, lost)
        return DocumentTranslation(
            joined, pairs, document.language, len(segments), from_cache, sent
        )

    def _translate_segments(
        self, cache: TranslationCache | None, segments: Sequence[ProtectedSegment]
    ) -> tuple[dict[int, str], int, int]:
        """Backend output per segment index (segments in the target language are left out),
        and how many came from the cache and how many were sent."""
        backend = self.backend
        keys = {
            index: cache_key(
                backend.name, backend.version, segment.language, self.target.code, segment.text
            )
            for index, segment in enumerate(segments)
            if segment.language != self.target.code
        }
        known = cache.lookup(keys.values()) if cache is not None and keys else {}
        missing: dict[str, ProtectedSegment] = {}
        for index, key in keys.items():
            if key not in known:
                missing.setdefault(key, segments[index])
        fresh = self._send(list(missing.items()))
        if cache is not None:
            cache.store(fresh, backend.name, backend.version, self.target.code)
        known.update(fresh)
        from_cache = sum(1 for key in keys.values() if key not in missing)
        return {index: known[key] for index, key in keys.items()}, from_cache, len(missing)

    def _send(self, pending: list[tuple[str, ProtectedSegment]]) -> dict[str, str]:
        by_language: dict[str, list[tuple[str, ProtectedSegment]]] = defaultdict(list)
        for key, segment in pending:
            by_language[segment.language].append((key, segment))
        done: dict[str, str] = {}
        for language, items in by_language.items():
            for index in range(0, len(items), self.batch_size):
                batch = items[index : index + self.batch_size]
                outputs = self._call([segment.text for _, segment in batch], language)
                done.update((key, output) for (key, _), output in zip(batch, outputs, strict=True))
        return done

    def _call(self, texts: list[str], language: str) -> list[str]:
        backend = self.backend
        self.guard.check(backend.name)
        try:
            outputs = backend.translate_batch(texts, language, self.target.code)
            if len(outputs) != len(texts):
                raise TranslationRejected(
                    f"backend {backend.name} returned {len(outputs)} translations "
                    f"for {len(texts)} segments"
                )
        except TranslationError:
            self.guard.failed()
            raise
        self.guard.succeeded()
        return outputs


# Built once: assembling a statement costs more than running it.
TRANSLATION_BY = select(Translation).where(
    Translation.document_id == bindparam("document_id"),
    Translation.target_language == bindparam("target"),
    Translation.backend == bindparam("backend"),
)


def save_translation(
    session: Session,
    document: Document,
    backend: TranslationBackend,
    target: str,
    result: DocumentTranslation,
) -> Translation:
    """Create or replace the document's translation by this backend into `target`."""
    row = session.scalars(
        TRANSLATION_BY, {"document_id": document.id, "target": target, "backend": backend.name}
    ).one_or_none()
    if row is None:
        row = Translation(document_id=document.id, target_language=target, backend=backend.name)
        session.add(row)
    row.text = result.text
    row.alignment = [pair.as_json() for pair in result.pairs]
    row.source_language = result.source_language
    row.backend_version = backend.version
    row.created_at = utcnow()
    return row
