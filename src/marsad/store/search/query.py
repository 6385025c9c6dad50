"""Reading the search index: ranked, filtered, paginated hits with facets and snippets."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    CompoundSelect,
    Select,
    String,
    bindparam,
    cast,
    column,
    exists,
    func,
    literal,
    literal_column,
    select,
    table,
    union_all,
)
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


# What the index is asked, as a bound parameter (statements are built once per backend): the
# FTS5 expression on SQLite, the words for plainto_tsquery on PostgreSQL.
MATCH: BindParameter[str] = bindparam("match")
LIMIT: BindParameter[int] = bindparam("limit")
OFFSET: BindParameter[int] = bindparam("offset")
# Bound too, so the statements built once follow COUNT_CAP (one past it tells "more").
COUNT_LIMIT: BindParameter[int] = bindparam("count_limit")
CAP: BindParameter[int] = bindparam("cap")
DOCUMENT_IDS: BindParameter[list[int]] = bindparam("document_ids", expanding=True)
HIT_DOCUMENTS = select(Document).where(Document.id.in_(DOCUMENT_IDS))


@cache
def _index(backend: str) -> _Index:
    if backend == "sqlite":
        fts = table(SQLITE_TABLE, column("rowid"))
        return _Index(
            fts,
            fts.c.rowid,
            literal_column(SQLITE_TABLE).op("MATCH")(MATCH),
            func.bm25(literal_column(SQLITE_TABLE)),
        )
    index = table(POSTGRES_TABLE, column("document_id"), column("tsv"))
    tsquery = func.plainto_tsquery("simple", MATCH)
    return _Index(
        index,
        index.c.document_id,
        index.c.tsv.op("@@")(tsquery),
        -func.ts_rank_cd(index.c.tsv, tsquery),
    )


def _match_value(backend: str, terms: list[str]) -> str:
    if backend == "sqlite":  # each term quoted, so no query text is read as FTS5 syntax
        return " ".join('"' + term.replace('"', '""') + '"' for term in terms)
    return " ".join(terms)


def _counted(base: Select[Any]) -> Select[Any]:
    return select(func.count()).select_from(base.limit(COUNT_LIMIT).subquery())


@dataclass(frozen=True)
class _IndexOnly:
    """The statements of a search without filters, which the index alone answers (no join for
    counting or ordering): built once per backend, the words bound as MATCH."""

    count: Select[Any]
    ranked_page: Select[Any]
    newest_page: Select[Any]
    facets_of_all: CompoundSelect[Any]  # every match (up to COUNT_CAP)
    facets_of_newest: CompoundSelect[Any]  # past the cap: the COUNT_CAP newest, the ones listed


@cache
def _index_only(backend: str) -> _IndexOnly:
    index = _index(backend)
    base = select(index.key.label("id")).where(index.condition)
    newest = base.order_by(index.key.desc())
    return _IndexOnly(
        count=_counted(base),
        ranked_page=base.order_by(index.rank, index.key).limit(LIMIT).offset(OFFSET),
        newest_page=newest.limit(LIMIT).offset(OFFSET),
        facets_of_all=_with_matched_ids(base.limit(CAP)),
        facets_of_newest=_with_matched_ids(newest.limit(CAP)),
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


FACETS = ("language", "source", "entity", "event_type")


# The facet statement reads the matched ids by this name; each search attaches its own CTE.
MATCHED_IDS = table("matched_ids", column("id"))


@cache
def _facet_statement() -> CompoundSelect[Any]:
    """The top FACET_SIZE values of each facet among the ids in MATCHED_IDS, in one statement.

    Built once per process (building it costs more than the SQL it runs on a typical page):
    it holds no per-search value, the matched ids are attached as a CTE by each search."""
    ids = select(MATCHED_IDS.c.id)

    def top(name: str, value: Any, label: Any, count: Any, query: Select[Any]) -> Select[Any]:
        position = func.row_number().over(order_by=(count.desc(), label))
        part = (
            query.add_columns(
                literal(name).label("facet"),
                cast(value, String).label("value"),
                cast(label, String).label("label"),
                count.label("n"),
                position.label("position"),
            )
            .order_by(count.desc(), label)
            .limit(FACET_SIZE)
            .subquery()
        )
        # Wrapped: SQLite allows ORDER BY and LIMIT in a compound's parts only in subqueries.
        return select(part.c.facet, part.c.value, part.c.label, part.c.n, part.c.position)

    # A document has one language and one source (its capture's): count(*) counts documents
    # there; mentions and event sources repeat a document, so those count distinct ones.
    languages = top(
        "language",
        Document.language,
        Document.language,
        func.count(),
        select()
        .select_from(Document)
        .where(Document.id.in_(ids), Document.language.is_not(None))
        .group_by(Document.language),
    )
    sources = top(
        "source",
        Source.id,
        Source.name,
        func.count(),
        select()
        .select_from(Source)
        .join(Capture, Capture.source_id == Source.id)
        .join(Document, Document.capture_id == Capture.id)
        .where(Document.id.in_(ids))
        .group_by(Source.id, Source.name),
    )
    entities = top(
        "entity",
        Entity.id,
        Entity.name,
        func.count(func.distinct(Mention.document_id)),
        select()
        .select_from(Entity)
        .join(Mention, Mention.entity_id == Entity.id)
        .where(Mention.document_id.in_(ids))
        .group_by(Entity.id, Entity.name),
    )
    event_types = top(
        "event_type",
        Event.type,
        Event.type,
        func.count(func.distinct(EventSource.document_id)),
        select()
        .select_from(Event)
        .join(EventSource, EventSource.event_id == Event.id)
        .where(EventSource.document_id.in_(ids))
        .group_by(Event.type),
    )
    return union_all(languages, sources, entities, event_types)


def _with_matched_ids(matched: Select[Any]) -> CompoundSelect[Any]:
    """The facet statement over these matches: the matched ids are a CTE that both backends
    materialise once (it is read four times), so the full-text query runs once rather than
    once per facet."""
    return _facet_statement().add_cte(matched.cte(MATCHED_IDS.name))


def _facets(
    session: Session, statement: CompoundSelect[Any], values: dict[str, Any]
) -> dict[str, list[Facet]]:
    rows = session.execute(statement, values).all()
    facets: dict[str, list[Facet]] = {name: [] for name in FACETS}
    for facet, value, label, n, _position in sorted(rows, key=lambda r: (r[0], r[4])):
        facets[facet].append(Facet(str(value), str(label), int(n)))
    return facets


def _filtering(filters: SearchFilters) -> bool:
    return any(value is not None for value in vars(filters).values())


def _filtered_search(
    backend: str, terms: list[str], filters: SearchFilters
) -> tuple[Select[Any], Select[Any] | None]:
    """The matching ids, and with words the same ranked (the rank beside the id needs a join
    once filters apply)."""
    if not terms:
        return _filtered(select(Document.id.label("id")), filters), None
    index = _index(backend)
    # IN (matches) runs the full-text query once; a join could run it once per document.
    base = _filtered(
        select(Document.id.label("id")).where(
            Document.id.in_(select(index.key).where(index.condition))
        ),
        filters,
    )
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
    return base, ranking


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
    costs time and tells little; facets then count those COUNT_CAP newest. Without words, the
    newest first."""
    terms = query_terms(normalizer, query)
    backend = session.get_bind().dialect.name
    values: dict[str, Any] = {
        "limit": limit,
        "offset": offset,
        "count_limit": COUNT_CAP + 1,
        "cap": COUNT_CAP,
    }
    if terms:
        values["match"] = _match_value(backend, terms)
    if terms and not _filtering(filters):
        statements = _index_only(backend)
        counted = session.scalar(statements.count, values) or 0
        exact = counted <= COUNT_CAP
        ordered = statements.ranked_page if exact else statements.newest_page
        facet_statement = statements.facets_of_all if exact else statements.facets_of_newest
        ranked = exact
    else:  # filters, or no words: statements built for this search
        base, ranking = _filtered_search(backend, terms, filters)
        counted = session.scalar(_counted(base), values) or 0
        exact = counted <= COUNT_CAP
        newest = base.order_by(Document.id.desc())
        ranked = exact and ranking is not None
        ordered = (ranking if ranking is not None and exact else newest).limit(LIMIT).offset(OFFSET)
        facet_statement = _with_matched_ids((base if exact else newest).limit(CAP))
    ids = list(session.scalars(ordered, values))
    found = session.scalars(HIT_DOCUMENTS, {"document_ids": ids}) if ids else ()
    documents = {d.id: d for d in found}
    hits = [
        SearchHit(documents[i], snippet_of(normalizer, documents[i].text or "", terms))
        for i in ids
        if i in documents
    ]
    facets = _facets(session, facet_statement, values) if with_facets else {}
    return SearchPage(
        query=query,
        terms=terms,
        total=min(counted, COUNT_CAP),
        hits=hits,
        facets=facets,
        total_exact=exact,
        ranked=ranked,
    )
