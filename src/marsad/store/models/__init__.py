"""All tables of the data model (ARCHITECTURE.md); import from here."""

from marsad.store.models.accounts import WebSession
from marsad.store.models.base import Base, clipped, column_length, utcnow
from marsad.store.models.clusters import MinhashBand
from marsad.store.models.collection import (
    Capture,
    DateMention,
    Document,
    Source,
    StageRun,
    Translation,
)
from marsad.store.models.events import Event, EventActor, EventCorrection, EventSource
from marsad.store.models.knowledge import (
    Affiliation,
    Alias,
    Entity,
    Mention,
    Relation,
    ReviewVerdict,
)
from marsad.store.models.media import HashListEntry, HashMatch, MediumHash, MediumKeyframe
from marsad.store.models.preservation import CustodyEntry
from marsad.store.models.referrals import LivenessCheck, ReferralCase, ReferralItem
from marsad.store.models.translation import TranslationCacheEntry
from marsad.store.models.workbench import (
    AlertDelivery,
    AlertRule,
    AuditLog,
    Report,
    ReportItem,
    User,
)
from marsad.store.models.workers import DeadLetter, TaskAttempt

__all__ = [
    "Affiliation",
    "AlertDelivery",
    "AlertRule",
    "Alias",
    "AuditLog",
    "Base",
    "Capture",
    "CustodyEntry",
    "DateMention",
    "DeadLetter",
    "Document",
    "Entity",
    "Event",
    "EventActor",
    "EventCorrection",
    "EventSource",
    "HashListEntry",
    "HashMatch",
    "LivenessCheck",
    "MediumHash",
    "MediumKeyframe",
    "Mention",
    "MinhashBand",
    "ReferralCase",
    "ReferralItem",
    "Relation",
    "Report",
    "ReportItem",
    "ReviewVerdict",
    "Source",
    "StageRun",
    "TaskAttempt",
    "Translation",
    "TranslationCacheEntry",
    "User",
    "WebSession",
    "clipped",
    "column_length",
    "utcnow",
]
