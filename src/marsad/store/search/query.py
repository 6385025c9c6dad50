"""Reading the search index: ranked, filtered, paginated hits with facets and snippets."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, column, exists, func, literal_column, select, table
from sqlalchemy.orm import Session

from marsad.store.models import Capture, Document, Entity, Event, EventSource, Mention, Source
from marsad.store.search.index import POSTGRES_TABLE, SQLITE_TABLE, query_terms
from marsad.store.search.snippets import Snippet, snippet_of
from marsad.text.normalize import Normalizer

FACET_SIZE = 10
COUNT_CAP = 2_000


@dataclass(frozen=True)
class SearchFilters:
    language: str | None = None
    source_id: int | None = None
    entity_id: str | None = None
    event_type: str | None = None
    date_from: str | None = None  # partial ISO dates, compared with the publication date
    date_to: str | None = None


@dataclass(frozen=True)
class Facet:
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class SearchHit:
    document: Document
    snippet: Snippet


@dataclass
class SearchPage:
    query: str
    terms: list[str]
    total: int
    hits: list[SearchHit]
    facets: dict[str, list[Facet]] = field(default_factory=dict)
    total_exact: bool = True  # False: `total` is COUNT_CAP, and there are more
    ranked: bool = False  # by relevance (else newest first)


@dataclass(frozen=True)
class _Index:
    """The backend's index table, its document-id column, the match condition and the rank
    (lower is better)."""

    table: Any
    key: Any
    condition: Any
    rank: Any


def _index(session: Session, terms: list[str]) -> _Index:
    if session.get_bind().dialect.name == "sqlite":
        fts = table(SQLITE_TABLE, column("rowid"))
        # Each term quoted, so no query text is read as FTS5 syntax.
        expression = " ".join('"' + term.replace('"', '""') + '"' for term in terms)
        return _Index(
            fts,
            fts.c.rowid,
            literal_column(SQLITE_TABLE).op("MATCH")(expression),
            func.bm25(literal_column(SQLITE_TABLE)),
        )
    index = table(POSTGRES_TABLE, column("document_id"), column("tsv"))
    tsquery = func.plainto_tsquery("simple", " ".join(terms))
    return _Index(
        index,
        index.c.document_id,
        index.c.tsv.op("@@")(tsquery),
        -func.ts_rank_cd(index.c.tsv, tsquery),
    )


def _filtered(query: Select[Any], filters: SearchFilters) -> Select[Any]:
    if filters.language:
        query = query.where(Document.language == filters.language)
    if filters.source_id is not None:
        query = query.where(
            Document.capture_id.in_(
                select(Capture.id).where(Capture.source_id == filters.source_id)
            )
        )
    if filters.entity_id:
        query = query.where(
            exists().where(
                Mention.document_id == Document.id, Mention.entity_id == filters.entity_id
            )
        )
    if filters.event_type:
        query = query.where(
            exists()
            .where(EventSource.document_id == Document.id)
            .where(EventSource.event_id == Event.id, Event.type == filters.event_type)
        )
    if filters.date_from:
        query = query.where(Document.published >= filters.date_from)
    if filters.date_to:
        # "2020-03" ends after every day of March: compare up to the bound's own precision.
        query = query.where(
            func.substr(Document.published, 1, len(filters.date_to)) <= filters.date_to
        )
    return query


def _facets(session: Session, matched: Any) -> dict[str, list[Facet]]:
    def counted(query: Any) -> list[tuple[Any, Any, int]]:
        return [(row[0], row[1], int(row[2])) for row in session.execute(query.limit(FACET_SIZE))]

    count = func.count(func.distinct(Document.id)).label("n")
    base = select(Document.id).where(Document.id.in_(select(matched.c.id)))
    languages = counted(
        select(Document.language, Document.language, count)
        .where(Document.id.in_(base), Document.language.is_not(None))
        .group_by(Document.language)
        .order_by(count.desc(), Document.language)
    )
    sources = counted(
        select(Source.id, Source.name, count)
        .join(Capture, Capture.source_id == Source.id)
        .join(Document, Document.capture_id == Capture.id)
        .where(Document.id.in_(base))
        .group_by(Source.id, Source.name)
        .order_by(count.desc(), Source.name)
    )
    mention_count = func.count(func.distinct(Mention.document_id)).label("n")
    entities = counted(
        select(Entity.id, Entity.name, mention_count)
        .join(Mention, Mention.entity_id == Entity.id)
        .where(Mention.document_id.in_(base))
        .group_by(Entity.id, Entity.name)
        .order_by(mention_count.desc(), Entity.name)
    )
    event_count = func.count(func.distinct(EventSource.document_id)).label("n")
    event_types = counted(
        select(Event.type, Event.type, event_count)
        .join(EventSource, EventSource.event_id == Event.id)
        .where(EventSource.document_id.in_(base))
        .group_by(Event.type)
        .order_by(event_count.desc(), Event.type)
    )
    return {
        name: [Facet(str(value), str(label), int(n)) for value, label, n in rows]
        for name, rows in (
            ("language", languages),
            ("source", sources),
            ("entity", entities),
            ("event_type", event_types),
        )
    }


def _filtering(filters: SearchFilters) -> bool:
    return any(value is not None for value in vars(filters).values())


def search_documents(
    session: Session,
    normalizer: Normalizer,
    query: str,
    filters: SearchFilters = SearchFilters(),
    limit: int = 20,
    offset: int = 0,
    with_facets: bool = True,
) -> SearchPage:
    """Documents matching every word of `query` (all documents when it has none), best first.

    Counting and ranking stop at COUNT_CAP matches: a query matching more (a very common word)
    reports "COUNT_CAP or more" and lists the newest documents first, since ranking that many
    costs time and tells little; facets then count the first COUNT_CAP. Without words, the
    newest first."""
    terms = query_terms(normalizer, query)
    ranking: Select[Any] | None = None  # with filters, ranking needs the rank beside the id
    if not terms:
        base = _filtered(select(Document.id.label("id")), filters)
        key: Any = Document.id
        rank = None
    elif _filtering(filters):
        index = _index(session, terms)
        # IN (matches) runs the full-text query once; a join could run it once per document.
        base = _filtered(
            select(Document.id.label("id")).where(
                Document.id.in_(select(index.key).where(index.condition))
            ),
            filters,
        )
        key, rank = Document.id, None
        matches = (
            select(index.key.label("document_id"), index.rank.label("rank"))
            .where(index.condition)
            .subquery()
        )
        ranking = _filtered(
            select(Document.id.label("id"))
            .join(matches, matches.c.document_id == Document.id)
            .order_by(matches.c.rank, Document.id),
            filters,
        )
    else:  # the index alone answers: no join for counting or ordering
        index = _index(session, terms)
        base = select(index.key.label("id")).where(index.condition)
        key, rank = index.key, index.rank
    counted = (
        session.scalar(select(func.count()).select_from(base.limit(COUNT_CAP + 1).subquery())) or 0
    )
    exact = counted <= COUNT_CAP
    if exact and ranking is not None:
        ordered = ranking
    elif exact and rank is not None:
        ordered = base.order_by(rank, key)
    else:
        ordered = base.order_by(key.desc())
    ranked = exact and (ranking is not None or rank is not None)
    ids = list(session.scalars(ordered.limit(limit).offset(offset)))
    documents = {d.id: d for d in session.scalars(select(Document).where(Document.id.in_(ids)))}
    hits = [
        SearchHit(documents[i], snippet_of(normalizer, documents[i].text or "", terms))
        for i in ids
        if i in documents
    ]
    facets = _facets(session, base.limit(COUNT_CAP).subquery()) if with_facets else {}
    return SearchPage(
        query=query,
        terms=terms,
        total=min(counted, COUNT_CAP),
        hits=hits,
        facets=facets,
        total_exact=exact,
        ranked=ranked,
    )
