"""The `neardup` stage: exact and near-duplicate copies of a text, within one language.

Each document's MinHash bands go to the store; documents sharing a band (or the same content
hash) are candidates, kept when they are in the same language and their estimated Jaccard
similarity reaches the threshold. A document joins its duplicates' group, and groups it links
merge: every member's `cluster_id` is the id of the group's earliest document, so the id
itself names the first copy Marsad saw.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, delete, or_, select, update

from marsad.config import Setting, parse_positive_int
from marsad.errors import ConfigError
from marsad.pipeline.stage import BaseStage, StageContext
from marsad.store.models import Document, MinhashBand


def parse_similarity(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"expected a number between 0 and 1, got {raw!r}") from None
    if not 0.0 < value <= 1.0:
        raise ConfigError(f"expected a number between 0 and 1, got {raw!r}")
    return value


NEARDUP_THRESHOLD = Setting(
    "neardup_threshold",
    0.7,
    "Estimated Jaccard similarity of word shingles from which two texts of one language are "
    "near-duplicates (0-1).",
    parse_similarity,
)
SHINGLE_WORDS = Setting(
    "neardup_shingle_words",
    3,
    "Words per shingle for near-duplicate signatures.",
    parse_positive_int,
)


# Built once: a statement built per document costs more to assemble and look up in the compiled
# cache than to run. Bands and keys are matched as two IN lists on the (band, key) index, the
# exact pairs in Python: a row value IN list would scan the table on SQLite.
SHARED_BANDS = select(MinhashBand.document_id, MinhashBand.band, MinhashBand.key).where(
    MinhashBand.band.in_(bindparam("bands", expanding=True)),
    MinhashBand.key.in_(bindparam("keys", expanding=True)),
)
CANDIDATE = select(Document.id, Document.language, Document.cluster_id, Document.content_hash)
# Two look-ups, each on its own index (primary key, content hash): one statement with both
# under an OR is planned on the language index, a scan of every document in the language.
CANDIDATES_BY_ID = CANDIDATE.where(Document.id.in_(bindparam("ids", expanding=True)))
CANDIDATES_BY_CONTENT = CANDIDATE.where(Document.content_hash == bindparam("content_hash"))
SIGNATURES = select(Document.id, Document.minhash).where(
    Document.id.in_(bindparam("ids", expanding=True))
)
FORGET_BANDS = delete(MinhashBand).where(MinhashBand.document_id == bindparam("document_id"))


@dataclass(frozen=True)
class Candidate:
    id: int
    cluster_id: int | None
    content_hash: str | None

    @property
    def group(self) -> int:
        return self.cluster_id or self.id


class NearDuplicateStage(BaseStage):
    name = "neardup"
    version = "2"
    requires = ("langid",)
    cross_document = True
    description = (
        "Exact and near-duplicate copies within a language (MinHash LSH over normalised word "
        "shingles); groups documents under the id of the earliest copy."
    )
    settings = (NEARDUP_THRESHOLD, SHINGLE_WORDS)

    def process(self, ctx: StageContext) -> None:
        # datasketch loads on the first document: commands that only name the stages skip it.
        from marsad.cluster.signatures import Banding, from_bytes, signature, to_bytes

        session, document = ctx.session, ctx.document
        session.execute(FORGET_BANDS, {"document_id": document.id})
        minhash = signature(document.text or "", ctx.setting(SHINGLE_WORDS))
        if minhash is None:
            document.minhash, document.cluster_id = None, None
            return
        document.minhash = to_bytes(minhash)
        threshold = ctx.setting(NEARDUP_THRESHOLD)
        keys = Banding.for_threshold(threshold).keys(minhash)
        self.write_rows(
            ctx,
            MinhashBand,
            ({"document_id": document.id, "band": band, "key": key} for band, key in keys),
        )
        # One confirmed copy per group is enough: a story of 400 reposts costs one comparison
        # (and one signature read) per group, not 400. Each round compares the next member of
        # every group not confirmed yet; usually the first confirms it.
        groups: set[int] = set()
        ungrouped: list[int] = []
        waiting = self._candidates(ctx, keys)
        while waiting:
            firsts: dict[int, Candidate] = {}
            for candidate in waiting:
                firsts.setdefault(candidate.group, candidate)
            same_text = (
                {c.id for c in firsts.values() if c.content_hash == document.content_hash}
                if document.content_hash
                else set()
            )
            unread = [c.id for c in firsts.values() if c.id not in same_text]
            signatures: dict[int, bytes | None] = (
                {row.id: row.minhash for row in session.execute(SIGNATURES, {"ids": unread})}
                if unread  # every first shares the text: nothing to read
                else {}
            )
            for group, candidate in firsts.items():
                other = signatures.get(candidate.id)
                if candidate.id in same_text or (
                    other and from_bytes(other).jaccard(minhash) >= threshold
                ):
                    groups.add(group)
                    if candidate.cluster_id is None:
                        ungrouped.append(candidate.id)
            compared = {c.id for c in firsts.values()}
            waiting = [c for c in waiting if c.id not in compared and c.group not in groups]
        self._join(ctx, groups, ungrouped)

    @staticmethod
    def _candidates(ctx: StageContext, keys: list[tuple[int, int]]) -> list[Candidate]:
        """The other documents in the language that share a band or the content, by id."""
        session, document = ctx.session, ctx.document
        wanted = set(keys)
        shares_band = {
            other
            for other, band, key in session.execute(
                SHARED_BANDS, {"bands": sorted({b for b, _ in keys}), "keys": [k for _, k in keys]}
            )
            if (band, key) in wanted and other != document.id
        }
        rows = (
            list(session.execute(CANDIDATES_BY_ID, {"ids": sorted(shares_band)}))
            if shares_band  # a text unlike any other: no statement for an empty list
            else []
        )
        if document.content_hash:
            rows += session.execute(CANDIDATES_BY_CONTENT, {"content_hash": document.content_hash})
        found = {
            row.id: Candidate(row.id, row.cluster_id, row.content_hash)
            for row in rows
            if row.id != document.id and row.language == document.language
        }
        return [found[other] for other in sorted(found)]

    @staticmethod
    def _join(ctx: StageContext, groups: set[int], ungrouped: list[int]) -> None:
        """Join the groups of the confirmed copies; rows change only where groups merge."""
        document = ctx.document
        if not groups:
            document.cluster_id = None
            return
        cluster = min(groups | {document.id})
        document.cluster_id = cluster
        merged = groups - {cluster}
        if merged or ungrouped:
            ctx.session.execute(
                update(Document)
                .where(or_(Document.cluster_id.in_(merged), Document.id.in_(ungrouped)))
                .values(cluster_id=cluster)
                .execution_options(synchronize_session="fetch")
            )
