"""Full-text search across scripts, with facets and highlighted snippets."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.orm import Session

from marsad.store.search import SearchFilters, search_documents
from marsad.web.api.common import PagingParams, ShortText
from marsad.web.api.schemas import DocumentOut, FacetOut, SearchHitOut, SearchOut, SnippetPartOut
from marsad.web.deps import Reader, db, web_state
from marsad.web.sessions import SignedIn

router = APIRouter(tags=["search"])


BlankOrId = Annotated[str, Query(pattern=r"^([1-9][0-9]{0,8})?$")]
BlankOrDate = Annotated[str, Query(pattern=r"^(\d{4}(-\d{2}(-\d{2})?)?)?$")]


# async: no I/O, so FastAPI runs it on the event loop, not in a thread hop of its own.
async def filters_of(
    language: ShortText = "",
    source_id: BlankOrId = "",
    entity_id: ShortText = "",
    event_type: ShortText = "",
    date_from: BlankOrDate = "",
    date_to: BlankOrDate = "",
) -> SearchFilters:
    """Search filters; an empty value (a form's blank field) is no filter."""
    return SearchFilters(
        language or None,
        int(source_id) if source_id else None,
        entity_id or None,
        event_type or None,
        date_from or None,
        date_to or None,
    )


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
        total_exact=page.total_exact,
        ranked=page.ranked,
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
