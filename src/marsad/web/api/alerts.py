"""Alert rules (watchlists) and each user's inbox of what they matched: the rules the CLI and
the `alerts` stage use, created, changed and paused here."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from sqlalchemy import select
from sqlalchemy.orm import Session

from marsad.alert.inbox import inbox_counts, mark_read
from marsad.alert.rules import DEAD, DELIVERED, PENDING
from marsad.alert.watchlist import ChannelSpec, RuleSpec, conditions_from_search, public_config
from marsad.errors import AlertRuleError
from marsad.store.models import AlertRule
from marsad.store.search import SearchFilters
from marsad.web.api.common import MAX_ID, PagingParams, page_of, paged
from marsad.web.api.schemas import (
    AlertRuleCreated,
    AlertRuleDetail,
    AlertRuleIn,
    AlertRuleOut,
    AlertRulePatch,
    ChangedOut,
    InboxItemOut,
    InboxOut,
    InboxPatch,
    InboxReadIn,
    Page,
    RuleRef,
)
from marsad.web.deps import AlertManager, Reader, db
from marsad.web.sessions import SignedIn
from marsad.web.watchlists import (
    InboxEntry,
    create_alert_rule,
    delivery_counts,
    inbox_entries,
    rule_of,
    set_rule_enabled,
    update_alert_rule,
)

router = APIRouter(tags=["alerts"])
RuleIdPath = Annotated[int, Path(ge=1, le=MAX_ID)]


def rule_spec(session: Session, body: AlertRuleIn) -> RuleSpec:
    if body.conditions is not None:
        conditions = body.conditions.model_dump()
    elif body.from_search is not None:
        search = body.from_search
        filters = SearchFilters(search.language, search.source_id, search.entity_id,
                                search.event_type)  # fmt: skip
        conditions = conditions_from_search(session, search.q, filters)
    else:
        raise AlertRuleError("give the rule's `conditions`, or a search (`from_search`)")
    channel = ChannelSpec(body.channel, body.webhook_url, body.secret, tuple(body.email_to))
    return RuleSpec(body.name, conditions, body.delivery, channel)


def rule_detail(session: Session, rule: AlertRule) -> AlertRuleDetail:
    counts = delivery_counts(session, [rule.id]).get(rule.id, {})
    return AlertRuleDetail(
        **AlertRuleOut.model_validate(rule).model_dump(),
        target=public_config(rule),
        pending=counts.get(PENDING, 0),
        delivered=counts.get(DELIVERED, 0),
        dead=counts.get(DEAD, 0),
    )


@router.get("/alerts", response_model=Page[AlertRuleOut])
def list_alert_rules(
    paging: PagingParams,
    mine: bool = False,
    signed: SignedIn = Reader,
    session: Session = Depends(db),
) -> Page[AlertRuleOut]:
    """Every alert rule (colleagues see what the team watches; never where alerts go), or
    with `mine=true` the caller's own."""
    query = select(AlertRule).order_by(AlertRule.name, AlertRule.id)
    if mine:
        query = query.where(AlertRule.owner_id == signed.user.id)
    items, total = paged(session, query, paging)
    return page_of(AlertRuleOut, items, total, paging)  # type: ignore[no-any-return]


@router.post("/alerts", response_model=AlertRuleCreated, status_code=201)
def create_rule(
    body: AlertRuleIn, signed: SignedIn = AlertManager, session: Session = Depends(db)
) -> AlertRuleCreated:
    """Add a rule owned by the caller; its alerts land in the caller's inbox and go out by
    its channel. A generated webhook secret is returned here once."""
    rule, secret = create_alert_rule(session, signed.user, rule_spec(session, body))
    session.commit()
    return AlertRuleCreated(rule=rule_detail(session, rule), secret=secret)


@router.get("/alerts/{rule_id}", response_model=AlertRuleDetail)
def get_rule(
    rule_id: RuleIdPath, signed: SignedIn = Reader, session: Session = Depends(db)
) -> AlertRuleDetail:
    """One of the caller's rules (any rule, for an admin), with where its alerts go."""
    return rule_detail(session, rule_of(session, signed.user, rule_id))


@router.patch("/alerts/{rule_id}", response_model=AlertRuleDetail)
def change_rule(
    rule_id: RuleIdPath,
    body: AlertRulePatch,
    signed: SignedIn = AlertManager,
    session: Session = Depends(db),
) -> AlertRuleDetail:
    """Pause or resume the rule (`enabled`), or replace it (`rule`; a webhook keeps its
    secret unless a new one is given)."""
    rule = rule_of(session, signed.user, rule_id)
    if body.rule is not None:
        update_alert_rule(session, signed.user, rule, rule_spec(session, body.rule))
    if body.enabled is not None:
        set_rule_enabled(session, signed.user, rule, body.enabled)
    session.commit()
    return rule_detail(session, rule)


def inbox_item(entry: InboxEntry) -> InboxItemOut:
    delivery = entry.delivery
    return InboxItemOut(
        id=delivery.id,
        rule=RuleRef(id=entry.rule.id, name=entry.rule.name),
        item_kind=delivery.item_kind,
        document_id=entry.document_id,
        item=entry.item,
        reasons=entry.reasons,
        status=delivery.status,
        created_at=delivery.created_at,
        read=delivery.read_at is not None,
    )


@router.get("/inbox", response_model=InboxOut)
def inbox(
    paging: PagingParams,
    unread: Annotated[bool, Query()] = False,
    signed: SignedIn = Reader,
    session: Session = Depends(db),
) -> InboxOut:
    """The alerts of the caller's rules, newest first (only unread ones with `unread=true`),
    each with why it matched and the document it is about."""
    total, unread_count = inbox_counts(session, signed.user.id)
    entries = inbox_entries(session, signed.user, unread, paging.limit, paging.offset)
    return InboxOut(
        items=[inbox_item(entry) for entry in entries],
        total=unread_count if unread else total,
        unread=unread_count,
        limit=paging.limit,
        offset=paging.offset,
    )


@router.patch("/inbox/{delivery_id}", response_model=ChangedOut)
def mark_one(
    delivery_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    body: InboxPatch,
    signed: SignedIn = Reader,
    session: Session = Depends(db),
) -> ChangedOut:
    """Mark one of the caller's alerts read or unread."""
    changed = mark_read(session, signed.user.id, [delivery_id], body.read)
    session.commit()
    return ChangedOut(changed=changed)


@router.post("/inbox/read", response_model=ChangedOut)
def mark_many(
    body: InboxReadIn, signed: SignedIn = Reader, session: Session = Depends(db)
) -> ChangedOut:
    """Mark the given alerts (every one of the caller's, without `ids`) read or unread."""
    changed = mark_read(session, signed.user.id, body.ids, body.read)
    session.commit()
    return ChangedOut(changed=changed)
