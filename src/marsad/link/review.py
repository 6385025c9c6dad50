"""The review queue: new names the link stage found (candidate mentions), and analysts' verdicts.

Candidates are grouped by normalised surface and kind. A verdict is stored apart from the
mentions (`review_verdicts`), because the link stage rewrites its mentions on every run: a
rejected name is no longer proposed, a confirmed one becomes a knowledge-base entity (origin
"analyst") and links like any other on the next run. Every verdict goes to the audit log.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from marsad.errors import KnowledgeBaseError
from marsad.link.aliases import detect_script
from marsad.link.candidates import CANDIDATE_KINDS, CANDIDATE_METHOD, CandidateFinder
from marsad.link.kb import entry_from_mapping
from marsad.link.store import KnowledgeBaseStore
from marsad.store.models import AuditLog, Document, Mention, ReviewVerdict
from marsad.text.segment import default_segmenter

CONFIRMED = "confirmed"
REJECTED = "rejected"
MAX_KEY = 400  # review_verdicts.key


@dataclass(frozen=True)
class QueuedName:
    key: str
    kind: str
    surface: str  # the most frequent spelling
    count: int
    languages: tuple[str, ...]
    example: str  # the sentence of the first mention


@dataclass(frozen=True)
class _Sighting:
    mention_id: int
    document_id: int
    surface: str
    start: int
    language: str | None


def check_kind(kind: str) -> str:
    if kind not in CANDIDATE_KINDS:
        raise KnowledgeBaseError(f"kind {kind!r}: expected one of {', '.join(CANDIDATE_KINDS)}")
    return kind


class ReviewQueue:
    def __init__(self, store: KnowledgeBaseStore, finder: CandidateFinder) -> None:
        self.store = store
        self.session: Session = store.session
        self.finder = finder

    def _sightings(self, kind: str | None = None) -> dict[tuple[str, str], list[_Sighting]]:
        """Unjudged candidate mentions by (key, kind), in document order."""
        query = (
            select(
                Mention.id,
                Mention.document_id,
                Mention.surface,
                Mention.start,
                Mention.candidate_kind,
                Document.language,
            )
            .join(Document, Document.id == Mention.document_id)
            .where(Mention.method == CANDIDATE_METHOD, Mention.verdict.is_(None))
            .order_by(Mention.document_id, Mention.start)
        )
        if kind is not None:
            query = query.where(Mention.candidate_kind == kind)
        groups: dict[tuple[str, str], list[_Sighting]] = defaultdict(list)
        for mention_id, document_id, surface, start, found_kind, language in self.session.execute(
            query
        ):
            groups[(self.finder.key(surface), found_kind or "")].append(
                _Sighting(mention_id, document_id, surface, start, language)
            )
        return groups

    def queued(self, kind: str | None = None, limit: int | None = None) -> list[QueuedName]:
        """Names waiting for a verdict, the most mentioned first."""
        groups = sorted(self._sightings(kind).items(), key=lambda item: (-len(item[1]), item[0]))
        return [self._describe(key, sightings) for key, sightings in groups[:limit]]

    def _describe(self, group: tuple[str, str], sightings: list[_Sighting]) -> QueuedName:
        first = sightings[0]
        languages = sorted({s.language for s in sightings if s.language})
        return QueuedName(
            key=group[0],
            kind=group[1],
            surface=Counter(s.surface for s in sightings).most_common(1)[0][0],
            count=len(sightings),
            languages=tuple(languages),
            example=self._sentence(first),
        )

    def _sentence(self, sighting: _Sighting) -> str:
        text = self.session.get_one(Document, sighting.document_id).text or ""
        for sentence in default_segmenter().sentences(text, sighting.language):
            if sentence.start <= sighting.start < sentence.end:
                return sentence.text
        return sighting.surface

    def key(self, surface: str) -> str:
        key = self.finder.key(surface)
        if not any(char.isalpha() for char in key) or len(key) > MAX_KEY:
            raise KnowledgeBaseError(f"{surface!r} is not a name (letters, at most {MAX_KEY})")
        return key

    def reject(self, surface: str, kind: str | None, by: str) -> list[str]:
        """Reject a name (in one kind, or in every kind it is queued under, or in all kinds
        when it is not queued); returns the kinds rejected."""
        key = self.key(surface)
        if kind is not None:
            kinds = [check_kind(kind)]
        else:
            queued = sorted({k for (name, k) in self._sightings() if name == key})
            kinds = queued or list(CANDIDATE_KINDS)
        for each in kinds:
            self._record(key, each, surface, REJECTED, None, by)
        return kinds

    def confirm(
        self, surface: str, kind: str, entity_id: str, name: str | None, by: str
    ) -> tuple[str, bool]:
        """Add the name to the knowledge base as entity `entity_id` (new, or an alias of the
        existing one); returns the id and whether the entity is new."""
        key = self.key(surface)
        language = self._alias_language(surface, self._sightings(check_kind(kind)).get((key, kind)))
        entry = entry_from_mapping(
            {
                "id": entity_id,
                "kind": kind,
                "name": name or surface.strip(),
                "aliases": {language: [surface.strip()]},
                "sources": [f"confirmed in the review queue by {by}"],
            },
            "marsad review confirm",
            origin="analyst",
        )
        report = self.store.sync([entry])
        self._record(key, kind, surface, CONFIRMED, entry.id, by)
        return entry.id, bool(report.entities_added)

    def _alias_language(self, surface: str, sightings: Sequence[_Sighting] | None) -> str:
        """The language the name was seen in most, among those written in its script."""
        schema = self.store.schema
        script = detect_script(surface, schema.scripts)
        fitting = [lang for lang, lang_script in schema.languages.items() if lang_script == script]
        if not fitting:
            raise KnowledgeBaseError(f"{surface!r}: no language of the KB is written in its script")
        seen = Counter(s.language for s in sightings or () if s.language in fitting)
        return seen.most_common(1)[0][0] if seen else fitting[0]

    def _record(
        self, key: str, kind: str, surface: str, verdict: str, entity_id: str | None, by: str
    ) -> None:
        row = self.session.scalars(
            select(ReviewVerdict).where(ReviewVerdict.key == key, ReviewVerdict.kind == kind)
        ).one_or_none()
        if row is None:
            row = ReviewVerdict(key=key, kind=kind)
            self.session.add(row)
        row.surface, row.verdict, row.entity_id, row.decided_by = surface, verdict, entity_id, by
        for sighting in self._sightings(kind).get((key, kind), []):
            self.session.get_one(Mention, sighting.mention_id).verdict = verdict
        self.session.add(
            AuditLog(
                action=f"review.{'confirm' if verdict == CONFIRMED else 'reject'}",
                target_kind="name",
                target_id=key[:200],
                details={"surface": surface, "kind": kind, "entity_id": entity_id, "by": by},
            )
        )
        self.session.flush()
