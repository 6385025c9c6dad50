"""Pages of alert rules (watchlists) and the inbox: create, edit, pause, "alert me" on a
search, and the alerts of one's rules with read/unread and links to the evidence."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from marsad.alert.inbox import inbox_counts, mark_read
from marsad.alert.messages import describe_reason
from marsad.alert.rules import DELIVERY_MODES, EMAIL, FLAGS, WEBHOOK, Conditions
from marsad.alert.watchlist import ChannelSpec, RuleSpec, conditions_from_search, public_config
from marsad.errors import MarsadError
from marsad.events.taxonomy import default_taxonomy
from marsad.store.models import AlertRule, Source
from marsad.web.api.common import MAX_ID, PagingParams
from marsad.web.api.search import FiltersParams
from marsad.web.deps import AlertManager, Reader, db
from marsad.web.sessions import SignedIn
from marsad.web.ui.render import render
from marsad.web.watchlists import (
    create_alert_rule,
    delivery_counts,
    inbox_entries,
    rule_of,
    rules_of,
    set_rule_enabled,
    update_alert_rule,
)

router = APIRouter(include_in_schema=False)
RuleId = Annotated[int, Path(ge=1, le=MAX_ID)]
# typed, one per line (or comma)
LIST_FIELDS = ("entities", "keywords", "languages", "hash_lists")
CHOICE_FIELDS = ("event_types", "severities", "sources")  # picked from lists
# check boxes: every flag a rule can hold, so saving the form never drops one set elsewhere
# (include_members is checked by default, so it is read on its own)
FLAG_FIELDS = tuple(flag for flag in FLAGS if flag != "include_members")
MAX_FIELD = 4000


def describe(reason: dict[str, Any]) -> str:
    """A reason in words; one the stage did not write (an old payload) shown as it is."""
    try:
        return describe_reason(reason)
    except (KeyError, TypeError):
        return str(reason)


def _lines(value: str) -> list[str]:
    """One value per line; a line may also hold several separated by commas (languages)."""
    return [part.strip() for line in value.splitlines() for part in line.split(",") if part.strip()]


def _text(form: FormData, key: str) -> str:
    value = form.get(key)
    return value[:MAX_FIELD] if isinstance(value, str) else ""


def spec_of_form(form: FormData) -> RuleSpec:
    """The rule a submitted form describes (checked when it is stored)."""
    conditions: dict[str, Any] = {key: _lines(_text(form, key)) for key in LIST_FIELDS}
    # Keywords may hold commas ("Nujaba, the movement"): only lines separate them.
    conditions["keywords"] = [k.strip() for k in _text(form, "keywords").splitlines() if k.strip()]
    for key in CHOICE_FIELDS:
        conditions[key] = [v for v in form.getlist(key) if isinstance(v, str) and v][:50]
    conditions["include_members"] = form.get("include_members") == "on"
    conditions.update({key: form.get(key) == "on" for key in FLAG_FIELDS})
    channel = _text(form, "channel")
    return RuleSpec(
        _text(form, "name"),
        conditions,
        _text(form, "delivery"),
        ChannelSpec(
            channel,
            _text(form, "webhook_url").strip() or None,
            _text(form, "secret").strip() or None,
            tuple(_lines(_text(form, "email_to"))),
        ),
    )


def form_values(rule: AlertRule | None = None, **conditions: Any) -> dict[str, Any]:
    """What the form shows: a stored rule's values, or the conditions given (from a search)."""
    data = dict(rule.conditions) if rule else {"include_members": True, **conditions}
    config = public_config(rule) if rule else {}
    return {
        "name": rule.name if rule else "",
        **{key: "\n".join(data.get(key) or []) for key in LIST_FIELDS},
        **{key: list(data.get(key) or []) for key in CHOICE_FIELDS},
        "include_members": bool(data.get("include_members", True)),
        **{key: bool(data.get(key)) for key in FLAG_FIELDS},
        "delivery": rule.delivery if rule else "immediate",
        "channel": rule.channel if rule else WEBHOOK,
        "webhook_url": config.get("url", ""),
        "email_to": "\n".join(config.get("to", [])),
    }


def _form_page(
    request: Request,
    session: Session,
    values: dict[str, Any],
    rule: AlertRule | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    taxonomy = default_taxonomy()
    return render(
        request,
        "alert_form.html",
        status_code=status,
        values=values,
        rule=rule,
        error=error,
        event_types=list(taxonomy.types),
        severities=list(taxonomy.severities),
        sources=list(session.scalars(select(Source.name).order_by(Source.name))),
        deliveries=DELIVERY_MODES,
        channels=(WEBHOOK, EMAIL),
    )


def _values_of_form(form: FormData) -> dict[str, Any]:
    """The submitted form, shown again with its error."""
    texts = (*LIST_FIELDS, "name", "delivery", "channel", "webhook_url", "email_to")
    values: dict[str, Any] = {key: _text(form, key) for key in texts}
    values.update({key: [v for v in form.getlist(key) if isinstance(v, str)]
                   for key in CHOICE_FIELDS})  # fmt: skip
    values["include_members"] = form.get("include_members") == "on"
    values.update({key: form.get(key) == "on" for key in FLAG_FIELDS})
    return values


def _rules_page(
    request: Request, signed: SignedIn, session: Session, created: tuple[AlertRule, str] | None
) -> Response:
    rules = rules_of(session, signed.user)
    total, unread = inbox_counts(session, signed.user.id)
    return render(
        request,
        "alerts.html",
        rules=[(rule, Conditions.from_dict(rule.conditions).describe()) for rule in rules],
        counts=delivery_counts(session, [rule.id for rule in rules]),
        targets={rule.id: public_config(rule) for rule in rules},
        created=created,
        inbox_total=total,
        unread=unread,
    )


@router.get("/alerts")
def alerts_page(
    request: Request, signed: SignedIn = Reader, session: Session = Depends(db)
) -> Response:
    return _rules_page(request, signed, session, None)


@router.get("/alerts/new")
def new_rule_page(
    request: Request,
    filters: FiltersParams,
    q: Annotated[str, Query(max_length=500)] = "",
    _: SignedIn = AlertManager,
    session: Session = Depends(db),
) -> Response:
    """The rule form; from a search's "alert me", filled with its query and filters."""
    try:
        values = form_values(**conditions_from_search(session, q, filters))
    except MarsadError as error:
        return _form_page(request, session, form_values(), error=str(error), status=422)
    if q.strip():
        values["name"] = " ".join(q.split())[:200]
    return _form_page(request, session, values)


@router.post("/alerts")
async def create_rule(
    request: Request, signed: SignedIn = AlertManager, session: Session = Depends(db)
) -> Response:
    form = await request.form()
    try:
        rule, secret = create_alert_rule(session, signed.user, spec_of_form(form))
    except MarsadError as error:
        session.rollback()
        return _form_page(request, session, _values_of_form(form), None, str(error), 422)
    session.commit()
    if secret is None:
        return RedirectResponse("/alerts", status_code=303)
    return _rules_page(request, signed, session, (rule, secret))  # the secret, shown once


@router.get("/alerts/{rule_id}/edit")
def edit_rule_page(
    request: Request,
    rule_id: RuleId,
    signed: SignedIn = AlertManager,
    session: Session = Depends(db),
) -> Response:
    rule = rule_of(session, signed.user, rule_id)
    return _form_page(request, session, form_values(rule), rule)


@router.post("/alerts/{rule_id}")
async def change_rule(
    request: Request,
    rule_id: RuleId,
    signed: SignedIn = AlertManager,
    session: Session = Depends(db),
) -> Response:
    rule = rule_of(session, signed.user, rule_id)
    form = await request.form()
    try:
        update_alert_rule(session, signed.user, rule, spec_of_form(form))
    except MarsadError as error:
        session.rollback()
        rule = rule_of(session, signed.user, rule_id)
        return _form_page(request, session, _values_of_form(form), rule, str(error), 422)
    session.commit()
    return RedirectResponse("/alerts", status_code=303)


@router.post("/alerts/{rule_id}/{action}")
def pause_or_resume(
    rule_id: RuleId,
    action: Annotated[str, Path(pattern="^(pause|resume)$")],
    signed: SignedIn = AlertManager,
    session: Session = Depends(db),
) -> Response:
    set_rule_enabled(
        session, signed.user, rule_of(session, signed.user, rule_id), action == "resume"
    )
    session.commit()
    return RedirectResponse("/alerts", status_code=303)


@router.get("/inbox")
def inbox_page(
    request: Request,
    paging: PagingParams,
    unread: bool = False,
    signed: SignedIn = Reader,
    session: Session = Depends(db),
) -> Response:
    total, unread_count = inbox_counts(session, signed.user.id)
    return render(
        request,
        "inbox.html",
        entries=inbox_entries(session, signed.user, unread, paging.limit, paging.offset),
        describe=describe,
        total=total,
        unread_count=unread_count,
        unread_only=unread,
        paging=paging,
    )


@router.post("/inbox/{delivery_id}/{state}")
def inbox_mark(
    delivery_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    state: Annotated[str, Path(pattern="^(read|unread)$")],
    signed: SignedIn = Reader,
    session: Session = Depends(db),
) -> Response:
    mark_read(session, signed.user.id, [delivery_id], state == "read")
    session.commit()
    return RedirectResponse(f"/inbox#alert-{delivery_id}", status_code=303)


@router.post("/inbox/read")
def inbox_mark_all(signed: SignedIn = Reader, session: Session = Depends(db)) -> Response:
    mark_read(session, signed.user.id, None, True)
    session.commit()
    return RedirectResponse("/inbox", status_code=303)
