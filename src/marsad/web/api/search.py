"""Full-text search across scripts, with facets and highlighted snippets."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.orm import Session

from marsad.store.search import SearchFilters, search_documents
from marsad.web.api.common import DatabaseId, PagingParams, PartialDate, ShortText
from marsad.web.api.schemas import DocumentOut, FacetOut, SearchHitOut, SearchOut, SnippetPartOut
from marsad.web.deps import Reader, db, web_state
from marsad.web.sessions import SignedIn

router = APIRouter(tags=["search"])


def filters_of(
    language: ShortText | None = None,
    source_id: DatabaseId | None = None,
    entity_id: ShortText | None = None,
    event_type: ShortText | None = None,
    date_from: PartialDate | None = None,
    date_to: PartialDate | None = None,
) -> SearchFilters:
    return SearchFilters(language, source_id, entity_id, event_type, date_from, date_to)


FiltersParams = Annotated[SearchFilters, Depends(filters_of)]


@router.get("/search", response_model=SearchOut)
def search(
    request: Request,
    paging: PagingParams,
    filters: FiltersParams,
    q: Annotated[str, Query(max_length=500, pattern=r"^[^\x00]*$")] = "",
    _: SignedIn = Reader,
    session: Session = Depends(db),
) -> SearchOut:
    """Documents holding every word of `q` in any spelling (alef, yeh, kaf, hamza forms,
    diacritics, case folded), best first; facets over all the matches."""
    page = search_documents(
        session, web_state(request).normalizer, q, filters, paging.limit, paging.offset
    )
    return SearchOut(
        query=page.query,
        terms=page.terms,
        total=page.total,
        limit=paging.limit,
        offset=paging.offset,
        hits=[
            SearchHitOut(
                document=DocumentOut.model_validate(hit.document),
                snippet=[SnippetPartOut(text=p.text, matched=p.matched) for p in hit.snippet.parts],
            )
            for hit in page.hits
        ],
        facets={
            name: [FacetOut(value=f.value, label=f.label, count=f.count) for f in facets]
            for name, facets in page.facets.items()
        },
    )
