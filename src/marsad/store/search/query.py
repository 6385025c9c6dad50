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


def _matches(session: Session, terms: list[str]) -> Any:
    """(document_id, rank) of the documents holding every term; lower rank is better."""
    if session.get_bind().dialect.name == "sqlite":
        fts = table(SQLITE_TABLE, column("rowid"))
        # Each term quoted, so no query text is read as FTS5 syntax.
        expression = " ".join('"' + term.replace('"', '""') + '"' for term in terms)
        return (
            select(
                fts.c.rowid.label("document_id"),
                func.bm25(literal_column(SQLITE_TABLE)).label("rank"),
            )
            .where(literal_column(SQLITE_TABLE).op("MATCH")(expression))
            .subquery()
        )
    index = table(POSTGRES_TABLE, column("document_id"), column("tsv"))
    tsquery = func.plainto_tsquery("simple", " ".join(terms))
    return (
        select(index.c.document_id, (-func.ts_rank_cd(index.c.tsv, tsquery)).label("rank"))
        .where(index.c.tsv.op("@@")(tsquery))
        .subquery()
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


def search_documents(
    session: Session,
    normalizer: Normalizer,
    query: str,
    filters: SearchFilters = SearchFilters(),
    limit: int = 20,
    offset: int = 0,
    with_facets: bool = True,
) -> SearchPage:
    """Documents matching every word of `query` (all documents when it has none), best first;
    without words, the newest first."""
    terms = query_terms(normalizer, query)
    if terms:
        matches = _matches(session, terms)
        ranked = _filtered(
            select(Document.id.label("id"), matches.c.rank).join(
                matches, matches.c.document_id == Document.id
            ),
            filters,
        )
        order: list[Any] = [ranked.selected_columns.rank, Document.id]
    else:
        ranked = _filtered(select(Document.id.label("id")), filters)
        order = [Document.first_seen_at.desc(), Document.id.desc()]
    matched = ranked.subquery()
    total = session.scalar(select(func.count()).select_from(matched)) or 0
    ids = list(session.scalars(ranked.order_by(*order).limit(limit).offset(offset)))
    documents = {d.id: d for d in session.scalars(select(Document).where(Document.id.in_(ids)))}
    hits = [
        SearchHit(documents[i], snippet_of(normalizer, documents[i].text or "", terms))
        for i in ids
        if i in documents
    ]
    facets = _facets(session, matched) if with_facets else {}
    return SearchPage(query=query, terms=terms, total=total, hits=hits, facets=facets)
