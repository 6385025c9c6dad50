"""Monitoring pages: stories (copies of one text and how they spread) and referrals to
platforms (cases, their items' state, removal statistics)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from marsad.cluster.stories import load_stories
from marsad.errors import MarsadError
from marsad.referral.cases import ReferralDesk
from marsad.referral.platforms import referral_rules
from marsad.referral.reappear import reappearances
from marsad.referral.stats import referral_stats
from marsad.store.models import LivenessCheck, ReferralCase
from marsad.web.api.common import MAX_ID
from marsad.web.deps import Reader, Reviewer, db
from marsad.web.sessions import SignedIn
from marsad.web.ui.charts import propagation_graph, removal_chart
from marsad.web.ui.render import render, render_error

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form(max_length=400)]
CASES_SHOWN = 100


@router.get("/stories")
def stories_page(
    request: Request, _: SignedIn = Reader, session: Session = Depends(db)
) -> Response:
    stories = sorted(load_stories(session), key=lambda story: story.first.appeared_by, reverse=True)
    return render(request, "stories.html", stories=stories[:CASES_SHOWN])


@router.get("/stories/{story_id}")
def story_page(
    request: Request,
    story_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    _: SignedIn = Reader,
    session: Session = Depends(db),
) -> Response:
    story = next((s for s in load_stories(session, min_size=1) if s.id == story_id), None)
    if story is None:
        return render_error(request, 404, f"no story {story_id}")
    return render(request, "story.html", story=story, graph=propagation_graph(story))


@router.get("/referrals")
def referrals_page(
    request: Request, _: SignedIn = Reader, session: Session = Depends(db)
) -> Response:
    stats = referral_stats(session)
    cases = session.scalars(
        select(ReferralCase).order_by(ReferralCase.id.desc()).limit(CASES_SHOWN)
    )
    return render(
        request,
        "referrals.html",
        stats=stats,
        chart=removal_chart(stats),
        cases=list(cases),
        rules=referral_rules(),
    )


@router.get("/referrals/{case_id}")
def referral_page(
    request: Request,
    case_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    _: SignedIn = Reader,
    session: Session = Depends(db),
) -> Response:
    desk = ReferralDesk(session)
    case = session.get(ReferralCase, case_id)
    if case is None:
        return render_error(request, 404, f"no referral case {case_id}")
    item_ids = [item.id for item in case.items]
    checks = session.scalars(
        select(LivenessCheck)
        .where(LivenessCheck.item_id.in_(item_ids))
        .order_by(LivenessCheck.checked_at.desc())
    )
    return render(
        request,
        "referral.html",
        case=case,
        rules=referral_rules(),
        checks=list(checks),
        history=desk.history(case),
        reappeared=reappearances(session, case),
    )


@router.post("/referrals")
def referral_open(
    request: Request,
    document_id: Annotated[int, Form(ge=1, le=MAX_ID)],
    reason: Text,
    platform: Text = "",
    notes: Annotated[str, Form(max_length=4000)] = "",
    signed: SignedIn = Reviewer,
    session: Session = Depends(db),
) -> Response:
    """Flag a document to a platform: a draft case, then `marsad referral package/send`."""
    try:
        case = ReferralDesk(session).open_case(
            reason, document_ids=[document_id], platform=platform or None, notes=notes,
            by=f"user:{signed.user.username}",
        )  # fmt: skip
    except MarsadError as error:
        return render_error(request, 422, str(error))
    return RedirectResponse(f"/referrals/{case.id}", status_code=303)
