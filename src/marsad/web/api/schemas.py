"""The JSON shapes of the API (and of its OpenAPI schema)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar

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


class SourceIn(BaseModel):
    kind: CleanText = Field(max_length=40)
    locator: CleanText = Field(max_length=2000)
    name: CleanText = Field(min_length=1, max_length=200)
    every: CleanText = Field(default="1h", max_length=20)
    language: CleanText | None = Field(default=None, max_length=16)


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
    conditions: dict[str, Any]
    delivery: str
    channel: str
    enabled: bool
    created_at: datetime


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
