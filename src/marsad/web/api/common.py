"""Pagination and path/query parameter types shared by the API routes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")
MAX_ID = 2**31 - 1  # ids are 32-bit integers in the store

DatabaseId = Annotated[int, Query(ge=1, le=MAX_ID)]
PartialDate = Annotated[str, Query(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")]
ShortText = Annotated[str, Query(max_length=200, pattern=r"^[^\x00]*$")]


@dataclass(frozen=True)
class Paging:
    limit: int
    offset: int


# async: no I/O, so FastAPI runs it on the event loop, not in a thread hop of its own.
async def paging(
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> Paging:
    return Paging(limit, offset)


PagingParams = Annotated[Paging, Depends(paging)]


def paged(session: Session, query: Select[Any], page: Paging) -> tuple[list[Any], int]:
    """One page of `query`'s rows (ORM objects) and the total count."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    items = list(session.scalars(query.limit(page.limit).offset(page.offset)))
    return items, total


def page_of(model: type[Any], items: list[Any], total: int, paging: Paging) -> Any:
    """A `Page[model]` of ORM rows."""
    from marsad.web.api.schemas import Page

    return Page[model](  # type: ignore[valid-type]
        items=[model.model_validate(item) for item in items],
        total=total,
        limit=paging.limit,
        offset=paging.offset,
    )
