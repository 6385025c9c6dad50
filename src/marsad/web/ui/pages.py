"""Reading pages: search, document, entity, events."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

import nh3
from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from marsad.errors import MarsadError
from marsad.events.taxonomy import default_taxonomy
from marsad.media.describe import listed_matches
from marsad.store.models import Entity, Event, Source
from marsad.store.search import search_documents
from marsad.text.decode import decode_content
from marsad.web.api.common import MAX_ID, PagingParams
from marsad.web.api.knowledge import event_query
from marsad.web.api.search import BlankOrDate, FiltersParams
from marsad.web.deps import Reader, db, web_state
from marsad.web.evidence import EvidenceMissing, raw_bytes
from marsad.web.media import MEDIUM_POLICY, media_panels, served_medium
from marsad.web.queries import (
    document_view,
    entity_names,
    entity_view,
    event_evidence,
    grouped_relations,
)
from marsad.web.relation_graph import CO_MENTION_THRESHOLD, relation_graph
from marsad.web.sessions import SignedIn
from marsad.web.ui.reading import paragraphs, plain_paragraphs
from marsad.web.ui.relation_chart import relation_chart
from marsad.web.ui.render import render
from marsad.web.ui.timeline import Timeline, event_timeline

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 20
# The sanitised view of a captured page keeps its structure and text only: no script, style,
# form, image or frame (an image would tell the group's server that an analyst is reading).
SAFE_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "code",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
}


# Id and name only: the form's choices, no Source objects to build (built once).
SOURCE_CHOICES = select(Source.id, Source.name).order_by(Source.name)


@router.get("/search")
def search_page(
    request: Request,
    filters: FiltersParams,
    q: Annotated[str, Query(max_length=500)] = "",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    _: SignedIn = Reader,
    session: Session = Depends(db),
) -> Response:
    results = search_documents(
        session, web_state(request).normalizer, q, filters, PAGE_SIZE, (page - 1) * PAGE_SIZE
    )
    sources: Sequence[Row[int, str]] = []
    if request.headers.get("HX-Request"):  # the results only: no form, so no source list
        template = "_results.html"
    else:
        template = "search.html"
        sources = session.execute(SOURCE_CHOICES).all()
    return render(
        request,
        template,
        results=results,
        q=q,
        filters=filters,
        page=page,
        page_size=PAGE_SIZE,
        sources=sources,
    )


@router.get("/documents/{document_id}")
def document_page(
    request: Request,
    document_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    _: SignedIn = Reader,
    session: Session = Depends(db),
) -> Response:
    view = document_view(session, document_id)
    document = view.document
    return render(
        request,
        "document.html",
        view=view,
        document=document,
        paragraphs=paragraphs(
            document.text or "",
            document.language_spans or [],
            view.mentions,
            view.event_sources,
            document.language,
        ),
        translations=[(t, plain_paragraphs(t.text, t.target_language)) for t in view.translations],
        entities=sorted({m.entity.name: m.entity for m in view.mentions if m.entity}.items()),
        hash_matches=listed_matches(session, view.capture.id),
        media=media_panels(session, document, view.capture),
    )


@router.get("/media/{capture_id}")
def medium(
    request: Request,
    capture_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    _: SignedIn = Reader,
    session: Session = Depends(db),
) -> Response:
    """A captured image (inline, typed by its bytes) or PDF (a download), sandboxed."""
    served = served_medium(session, web_state(request).workspace.blobs, capture_id)
    return Response(
        served.data,
        media_type=served.media_type,
        headers={
            "Content-Disposition": f'{served.disposition}; filename="{served.filename}"',
            "Content-Security-Policy": MEDIUM_POLICY,
            "X-Content-Type-Options": "nosniff",
        },
    )


@router.get("/documents/{document_id}/page")
def captured_page(
    request: Request,
    document_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    _: SignedIn = Reader,
    session: Session = Depends(db),
) -> Response:
    """The captured HTML, sanitised with nh3 (structure and text only)."""
    view = document_view(session, document_id)
    try:
        raw = raw_bytes(web_state(request).workspace.blobs, view.capture)
        html = decode_content(raw, view.capture.content_type).text
    except MarsadError as error:  # undecodable bytes
        raise EvidenceMissing(f"cannot show capture {view.capture.id}: {error}") from None
    cleaned = nh3.clean(
        html,
        tags=SAFE_TAGS,
        clean_content_tags={"script", "style", "template", "noscript"},
        attributes={"a": {"href", "title"}, "*": {"dir", "lang"}},
        url_schemes={"http", "https"},
        link_rel="noopener noreferrer nofollow",
    )
    return render(request, "captured.html", view=view, document=view.document, cleaned=cleaned)


@router.get("/entities")
def entities_page(
    request: Request,
    paging: PagingParams,
    kind: Annotated[str, Query(max_length=40)] = "",
    _: SignedIn = Reader,
    session: Session = Depends(db),
) -> Response:
    query = (
        select(Entity).order_by(Entity.kind, Entity.name).limit(paging.limit).offset(paging.offset)
    )
    if kind:
        query = query.where(Entity.kind == kind)
    return render(
        request, "entities.html", entities=list(session.scalars(query)), kind=kind, paging=paging
    )


@router.get("/entities/{entity_id}")
def entity_page(
    request: Request,
    entity_id: Annotated[str, Path(max_length=200)],
    co_mentions: bool = False,
    _: SignedIn = Reader,
    session: Session = Depends(db),
) -> Response:
    """The entity; its relations graph draws co-mentions only when asked (`co_mentions`)."""
    view = entity_view(session, entity_id)
    names = names_in(session, view.events)
    graph = relation_graph(view.entity, view.relations, view.events, names,
                           view.network if co_mentions else ())  # fmt: skip
    return render(
        request,
        "entity.html",
        view=view,
        entity=view.entity,
        relations=grouped_relations(view.relations),
        timeline=timeline_of(session, view.events, names),
        graph=relation_chart(graph),
        co_mentions=co_mentions,
        co_mention_threshold=CO_MENTION_THRESHOLD,
    )


def names_in(session: Session, events: list[Event]) -> dict[str, str]:
    """Names of the events' actors and places (the actors loaded with the events)."""
    ids = {a.entity_id for e in events for a in e.actors if a.entity_id}
    ids |= {e.place_id for e in events if e.place_id}
    return entity_names(session, ids)


def timeline_of(
    session: Session, events: list[Event], names: dict[str, str] | None = None
) -> Timeline:
    if names is None:
        names = names_in(session, events)
    return event_timeline(events, names, event_evidence(session, [e.id for e in events]))


@router.get("/events")
def events_page(
    request: Request,
    type: Annotated[str, Query(max_length=60)] = "",
    entity_id: Annotated[str, Query(max_length=200)] = "",
    date_from: BlankOrDate = "",
    date_to: BlankOrDate = "",
    _: SignedIn = Reader,
    session: Session = Depends(db),
) -> Response:
    """Events with their timeline, filtered by type, entity and date (a narrower date range
    zooms the timeline in)."""
    events = list(
        session.scalars(
            event_query(type or None, entity_id or None, date_from or None, date_to or None,
                        session)
            .order_by(Event.date.desc(), Event.id.desc())
            .limit(200)
        )
    )  # fmt: skip
    names = names_in(session, events)
    return render(
        request,
        "events.html",
        events=events,
        names=names,
        type=type,
        entity_id=entity_id,
        date_from=date_from,
        date_to=date_to,
        timeline=timeline_of(session, events, names),
        zoom=request.url.remove_query_params(["date_from", "date_to"]),
        event_types=list(default_taxonomy().types),
    )
