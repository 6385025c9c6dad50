"""The JSON shapes of the API (and of its OpenAPI schema)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

T = TypeVar("T")


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("NUL characters are not allowed")
    return value


CleanText = Annotated[str, AfterValidator(_no_nul)]


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Page(Out, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


class LoginIn(BaseModel):
    username: CleanText = Field(max_length=120)
    password: CleanText = Field(max_length=1000)


class UserOut(Out):
    id: int
    username: str
    role: str
    disabled: bool
    created_at: datetime


class SessionOut(BaseModel):
    user: UserOut
    csrf_token: str


class UserIn(BaseModel):
    username: CleanText = Field(max_length=120)
    role: CleanText = "analyst"
    password: CleanText | None = Field(default=None, max_length=1000)


class UserCreated(BaseModel):
    user: UserOut
    password: str | None = None  # only when generated; shown once


class UserPatch(BaseModel):
    role: CleanText | None = None
    disabled: bool | None = None


class CaptureOut(Out):
    id: int
    source_id: int | None
    url: str
    fetched_at: datetime
    http_status: int | None
    content_type: str | None
    size: int | None
    sha256: str | None
    warc_record_id: str | None
    warc_filename: str | None
    warc_offset: int | None
    error: str | None


class DocumentOut(Out):
    id: int
    capture_id: int
    url: str
    title: str | None
    language: str | None
    published: str | None
    published_precision: str | None
    first_seen_at: datetime
    cluster_id: int | None


class MentionOut(Out):
    id: int
    document_id: int
    entity_id: str | None
    surface: str
    start: int
    end: int
    method: str
    confidence: float
    verdict: str | None
    candidate_kind: str | None


class TranslationOut(Out):
    target_language: str
    backend: str
    text: str
    created_at: datetime


class FirstSeenOut(Out):
    at: datetime
    capture_id: int
    url: str
    captures: int


class EventRef(BaseModel):
    event_id: int
    type: str
    start: int
    end: int


class DocumentDetail(DocumentOut):
    text: str | None
    language_spans: list[dict[str, Any]]
    properties: dict[str, Any]
    capture: CaptureOut
    mentions: list[MentionOut]
    translations: list[TranslationOut]
    events: list[EventRef]
    url_first_seen: FirstSeenOut | None
    content_first_seen: FirstSeenOut | None


class AliasOut(Out):
    name: str
    language: str | None
    script: str | None
    origin: str


class EntityOut(Out):
    id: str
    kind: str
    name: str
    description: str | None
    designations: list[dict[str, Any]]


class EntityRef(Out):
    id: str
    name: str
    kind: str


class RelationOut(Out):
    id: int
    subject: EntityRef
    predicate: str
    object: EntityRef
    valid_date: str | None
    document_id: int | None
    evidence_start: int | None
    evidence_end: int | None


class EntityDetail(EntityOut):
    aliases: list[AliasOut]
    relations: list[RelationOut]
    mention_count: int


class NetworkNode(BaseModel):
    entity: EntityRef
    shared_documents: int


class NetworkEdge(BaseModel):
    source: str
    target: str
    shared_documents: int


class NetworkOut(BaseModel):
    nodes: list[NetworkNode]
    edges: list[NetworkEdge]


class EventActorOut(Out):
    entity_id: str | None
    role: str
    surface: str | None


class EventSourceOut(Out):
    document_id: int
    start: int
    end: int


class EventOut(Out):
    id: int
    type: str
    date: str | None
    date_precision: str | None
    date_certainty: str | None
    place_id: str | None
    summary: str | None
    language: str | None
    confidence: float
    severity: str | None
    actors: list[EventActorOut]
    sources: list[EventSourceOut]


class TimelineBucket(BaseModel):
    period: str
    count: int
    event_ids: list[int]


class SnippetPartOut(BaseModel):
    text: str
    matched: bool


class SearchHitOut(BaseModel):
    document: DocumentOut
    snippet: list[SnippetPartOut]


class FacetOut(BaseModel):
    value: str
    label: str
    count: int


class SearchOut(BaseModel):
    query: str
    terms: list[str]
    total: int
    total_exact: bool  # false: more than `total` documents match
    ranked: bool  # by relevance; false: newest first
    limit: int
    offset: int
    hits: list[SearchHitOut]
    facets: dict[str, list[FacetOut]]


class SourceOut(Out):
    id: int
    name: str
    kind: str
    locator: str
    language_hint: str | None
    schedule: str | None
    enabled: bool
    last_success_at: datetime | None
    last_error: str | None
    options: dict[str, Any]


class SourceIn(BaseModel):
    """A source to watch; a web source may keep to a path prefix (`scope`, e.g. /ar/news/)
    and capture the pictures and PDFs of its pages (`media`)."""

    kind: CleanText = Field(max_length=40)
    locator: CleanText = Field(max_length=2000)
    name: CleanText = Field(min_length=1, max_length=200)
    every: CleanText = Field(default="1h", max_length=20)
    language: CleanText | None = Field(default=None, max_length=16)
    scope: CleanText | None = Field(default=None, max_length=500)
    media: bool = False


class SourcePatch(BaseModel):
    enabled: bool


class ReviewItemOut(BaseModel):
    key: str
    kind: str
    surface: str
    count: int
    languages: list[str]
    example: str


class ConfirmIn(BaseModel):
    surface: CleanText = Field(min_length=1, max_length=400)
    kind: CleanText = Field(max_length=40)
    name: CleanText | None = Field(default=None, max_length=400)
    entity_id: CleanText | None = Field(default=None, max_length=200)


class RejectIn(BaseModel):
    surface: CleanText = Field(min_length=1, max_length=400)
    kind: CleanText | None = Field(default=None, max_length=40)


class VerdictOut(BaseModel):
    surface: str
    verdict: str
    kinds: list[str]
    entity_id: str | None = None


class AlertRuleOut(Out):
    id: int
    name: str
    owner_id: int | None
    conditions: dict[str, Any]
    delivery: str
    channel: str
    enabled: bool
    created_at: datetime
    last_digest_at: datetime | None


class AlertRuleDetail(AlertRuleOut):
    """A rule as its owner (or an admin) sees it: where alerts go, never the secret."""

    target: dict[str, Any]
    pending: int
    delivered: int
    dead: int


ConditionValue = Annotated[CleanText, Field(min_length=1, max_length=400)]
RowId = Annotated[int, Field(ge=1, le=2**31 - 1)]


class AlertConditionsIn(BaseModel):
    """All given must hold; a list holds when any of its values does. `entities` take ids or
    any alias in any script."""

    entities: list[ConditionValue] = Field(default_factory=list, max_length=50)
    include_members: bool = True
    keywords: list[ConditionValue] = Field(default_factory=list, max_length=50)
    event_types: list[ConditionValue] = Field(default_factory=list, max_length=50)
    severities: list[ConditionValue] = Field(default_factory=list, max_length=50)
    languages: list[ConditionValue] = Field(default_factory=list, max_length=50)
    sources: list[ConditionValue] = Field(default_factory=list, max_length=50)
    first_seen: bool = False
    reappeared: bool = False
    hash_match: bool = False
    hash_lists: list[ConditionValue] = Field(default_factory=list, max_length=50)


class SearchIn(BaseModel):
    """A search as `GET /search` takes it, to turn into a rule's conditions."""

    q: CleanText = Field(default="", max_length=500)
    language: CleanText | None = Field(default=None, max_length=16)
    source_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    entity_id: CleanText | None = Field(default=None, max_length=200)
    event_type: CleanText | None = Field(default=None, max_length=60)


class AlertRuleIn(BaseModel):
    """A rule: its conditions, or a search (`from_search`) whose query and filters become
    them; delivery `immediate`, `hourly` or `daily`; a `webhook` (URL, optional secret —
    generated and returned once when left out) or `email` (addresses) channel."""

    name: CleanText = Field(min_length=1, max_length=200)
    conditions: AlertConditionsIn | None = None
    from_search: SearchIn | None = None
    delivery: CleanText = Field(default="immediate", max_length=20)
    channel: CleanText = Field(default="webhook", max_length=20)
    webhook_url: CleanText | None = Field(default=None, max_length=2000)
    secret: CleanText | None = Field(default=None, max_length=200)
    email_to: list[Annotated[CleanText, Field(max_length=320)]] = Field(
        default_factory=list, max_length=20
    )


class AlertRuleCreated(BaseModel):
    rule: AlertRuleDetail
    secret: str | None = None  # the webhook's signing secret when generated; shown once


class AlertRulePatch(BaseModel):
    """Pause (`enabled: false`) or resume a rule; or replace it whole with `rule`."""

    enabled: bool | None = None
    rule: AlertRuleIn | None = None


class RuleRef(BaseModel):
    id: int
    name: str


class InboxItemOut(BaseModel):
    id: int  # the delivery's id
    rule: RuleRef
    item_kind: str
    document_id: int | None
    item: dict[str, Any]  # what the alert said about the item when it fired
    reasons: list[dict[str, Any]]
    status: str  # pending | delivered | dead (the webhook or e-mail delivery)
    created_at: datetime
    read: bool


class InboxOut(BaseModel):
    items: list[InboxItemOut]
    total: int
    unread: int
    limit: int
    offset: int


class InboxPatch(BaseModel):
    read: bool


class InboxReadIn(BaseModel):
    """Mark these alerts (all of the user's when left out) read or unread."""

    ids: list[RowId] | None = Field(default=None, max_length=500)
    read: bool = True


class ChangedOut(BaseModel):
    changed: int


class ReportOut(Out):
    id: int
    title: str
    author_id: int | None
    created_at: datetime
    updated_at: datetime


class AuditOut(Out):
    id: int
    at: datetime
    user_id: int | None
    action: str
    target_kind: str | None
    target_id: str | None
    details: dict[str, Any]


class WatchedOut(BaseModel):
    id: str
    name: str


class NewDocumentOut(BaseModel):
    document: DocumentOut
    source: str | None
    quote: str
    names: list[str]  # the watched entities it names
    copies: int  # later copies of the same text


class NewEventOut(BaseModel):
    event: EventOut
    actors: list[str]
    quote: str
    document_id: int | None
    source: str | None


class DayCountOut(BaseModel):
    day: str
    documents: int
    events: int


class DeskOut(BaseModel):
    since: datetime
    watched: list[WatchedOut]
    documents: list[NewDocumentOut]
    events: list[NewEventOut]
    by_day: list[DayCountOut]


class DraftIn(BaseModel):
    title: CleanText = Field(min_length=1, max_length=500)


class DraftItemIn(BaseModel):
    """A document (`document_id`), an event (`event_id`) or a quote: the passage of a
    document (`document_id` with `start`/`end` offsets, or its `words`), or an event's
    evidence (`event_id` alone)."""

    kind: Literal["document", "event", "quote"]
    document_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    event_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    start: int | None = Field(default=None, ge=0, le=2**31 - 1)
    end: int | None = Field(default=None, ge=0, le=2**31 - 1)
    words: CleanText | None = Field(default=None, min_length=1, max_length=2000)
    note: CleanText = Field(default="", max_length=10_000)


class DraftItemPatch(BaseModel):
    note: CleanText = Field(max_length=10_000)


class DraftOrderIn(BaseModel):
    item_ids: list[int] = Field(max_length=500)


class DraftItemOut(Out):
    id: int
    position: int
    kind: str
    document_id: int | None
    event_id: int | None
    start: int | None
    end: int | None
    note: str


class DraftOut(ReportOut):
    items: list[DraftItemOut]
    markdown: str  # the report's Markdown as it would be built now
