"""The `events` stage: events coded from each sentence, merged with other reports of the
same happening, analysts' corrections applied again on every run."""

from __future__ import annotations

from functools import cache

from sqlalchemy import BindParameter, bindparam, select

from marsad.config import Setting
from marsad.events.agents import default_agent_lexicons
from marsad.events.coder import EventCoder
from marsad.events.corrections import apply_corrections, corrections_by_span
from marsad.events.merge import EventMerger, source_row
from marsad.events.model import Affiliation, EntityMention, EventDate
from marsad.pipeline.stage import BaseStage, StageContext
from marsad.store.models import DateMention, Document, Entity, EventSource, Mention, Relation
from marsad.text.date_stage import language_runs
from marsad.text.dates.model import PartialDate


def _paths(raw: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in raw.split(",") if p.strip())


ACTOR_DICTIONARIES = Setting(
    "events_actor_dictionaries",
    (),
    "Comma-separated PETRARCH/TABARI/Phoenix actor dictionary files (`NAME_ [CODE]` lines, "
    "`+ALIAS_` lines after) whose actors the events stage finds as agents, with their codes, "
    "beside the shipped agents lexicons (docs/taxonomy.md).",
    _paths,
)


# Read for every document: built once, as assembling a statement costs more than running it.
# Columns, not ORM objects, where the stage only reads the rows: building instances of them
# was a good share of its cost.
DOCUMENT_ID: BindParameter[int] = bindparam("document_id")
OWN_REPORTS = select(EventSource).where(
    EventSource.document_id == DOCUMENT_ID, EventSource.stage == bindparam("stage")
)
LINKED_MENTIONS = (
    select(
        Mention.entity_id,
        Mention.surface,
        Mention.start,
        Mention.end,
        Entity.kind,
        Entity.properties,
    )
    .join(Entity, Mention.entity_id == Entity.id)
    .where(Mention.document_id == DOCUMENT_ID, Mention.verdict.is_distinct_from("rejected"))
    .order_by(Mention.start)
)
DATE_MENTIONS = select(
    DateMention.value,
    DateMention.precision,
    DateMention.certainty,
    DateMention.calendar,
    DateMention.expression,
    DateMention.start,
    DateMention.end,
    DateMention.end_value,
    DateMention.relative,
).where(DateMention.document_id == DOCUMENT_ID)
AFFILIATIONS = select(
    Relation.subject_id, Relation.object_id, Relation.evidence_start, Relation.evidence_end
).where(Relation.document_id == DOCUMENT_ID)


@cache
def default_coder(dictionaries: tuple[str, ...] = ()) -> EventCoder:
    """One coder per process (per set of actor dictionaries): lexicons are built once."""
    return EventCoder(agents=default_agent_lexicons(dictionaries))


def published_date(document: Document) -> EventDate | None:
    if not document.published:
        return None
    return EventDate(
        document.published,
        document.published_precision or "day",
        document.published_certainty or "likely",
        "gregorian",
        document.published_expression,
        "published",
    )


class EventsStage(BaseStage):
    name = "events"
    version = "1"
    requires = ("link", "dates")
    cross_document = True
    settings = (ACTOR_DICTIONARIES,)
    description = (
        "Events coded per sentence from the taxonomy (data/taxonomy.yaml) and per-language "
        "lexicons: type, actors with roles from the linked mentions, place, date (from the "
        "dates stage, else the publication date marked as a fallback), threat targets and "
        "severity, evidence span; reports of one happening across documents merge into one "
        "event with all its sources; analysts' corrections are re-applied."
    )

    def process(self, ctx: StageContext) -> None:
        session, document = ctx.session, ctx.document
        merger = EventMerger(session)
        previous = session.scalars(
            OWN_REPORTS, {"document_id": document.id, "stage": self.name}
        ).all()
        merger.detach(previous)
        text = document.text or ""
        coder = default_coder(ctx.setting(ACTOR_DICTIONARIES))
        runs = language_runs(document)
        if not text or not coder.worth_coding(text, runs):
            return  # no trigger anywhere: spare reading mentions, dates and corrections
        corrections = corrections_by_span(session, document.id)
        coded = coder.code(
            text,
            runs,
            self._mentions(ctx),
            self._dates(ctx),
            published_date(document),
            self._affiliations(ctx),
        )
        for event in coded:
            row = source_row(document.id, self.name, event)
            if apply_corrections(row, corrections.get((event.start, event.end), [])):
                merger.add(row, flush=False)
        session.flush()  # the document's reports in one batch

    @staticmethod
    def _mentions(ctx: StageContext) -> list[EntityMention]:
        rows = ctx.session.connection().execute(LINKED_MENTIONS, {"document_id": ctx.document.id})
        return [
            EntityMention(
                entity_id, surface, start, end, kind, (properties or {}).get("place_type")
            )
            for entity_id, surface, start, end, kind, properties in rows
        ]

    @staticmethod
    def _dates(ctx: StageContext) -> list[PartialDate]:
        rows = ctx.session.connection().execute(DATE_MENTIONS, {"document_id": ctx.document.id})
        return [PartialDate(*row) for row in rows]

    @staticmethod
    def _affiliations(ctx: StageContext) -> list[Affiliation]:
        rows = ctx.session.connection().execute(AFFILIATIONS, {"document_id": ctx.document.id})
        return [
            Affiliation(subject, organization, start, end)
            for subject, organization, start, end in rows
            if start is not None and end is not None
        ]
