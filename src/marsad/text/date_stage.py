"""The `dates` stage: every date expression of a document as a partial date, and the
publication date from the dateline when the page's metadata gave none.

A phrase dating something by another happening ("around the time of Soleimani's funeral")
takes the date of that event when the store knows it: an event of the named kind with a
participant whose alias is in the phrase. Several candidates: the latest not after the anchor.
"""

from __future__ import annotations

import datetime
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from marsad.config import Setting, parse_positive_int
from marsad.pipeline.stage import BaseStage, StageContext
from marsad.store.models import Alias, DateMention, Document, Event, EventActor
from marsad.text.dates import PartialDate, default_date_extractor
from marsad.text.dates.anchors import EventReference, default_reference_finder
from marsad.text.dates.model import CERTAINTIES, weaker, without_overlaps
from marsad.text.extract import published_by_source
from marsad.text.langid import UNDETERMINED

DATELINE_CHARS = Setting(
    "dates_dateline_chars",
    400,
    "Without a publication date in the page metadata, the first full date within this many "
    "characters of the start of the text is taken as the dateline (certainty likely).",
    parse_positive_int,
)


def publication_anchor(document: Document) -> tuple[datetime.date, bool]:
    """The day relative dates count from, and whether it is the publication day. Without one,
    the day Marsad first saw the page stands in: the text can only be older."""
    if document.published and document.published_precision == "day":
        return datetime.date.fromisoformat(document.published), True
    return document.first_seen_at.date(), False


def language_runs(document: Document) -> list[tuple[int, int, str | None]]:
    """(start, end, language) of each identified language span; the whole text otherwise."""
    runs: list[tuple[int, int, str | None]] = [
        (int(span["start"]), int(span["end"]), str(span["language"]))
        for span in document.language_spans or []
        if span.get("language") not in (None, UNDETERMINED)
    ]
    return runs or [(0, len(document.text or ""), document.language)]


def find_document_dates(document: Document) -> list[PartialDate]:
    """Dates of the whole document, each language span read with its own lexicon, offsets
    into the document text. Without a publication day, anchor-dependent dates are counted
    from the capture day and become `possible`; those that would fall after it are dropped."""
    text = document.text or ""
    anchor, on_publication_day = publication_anchor(document)
    # A relative date is no surer than a dateline it counts from (read in the text: likely).
    from_dateline = on_publication_day and not published_by_source(document.published_expression)
    ceiling = document.published_certainty if from_dateline else None
    extractor = default_date_extractor()
    found: list[PartialDate] = []
    for start, end, language in language_runs(document):
        for date in extractor.find_dates(text[start:end], language, anchor):
            certainty = date.certainty
            if date.anchored and not on_publication_day:
                if date.value > anchor.isoformat():
                    continue  # a text cannot speak of days after Marsad saw it as past
                certainty = "possible"
            elif date.anchored and ceiling in CERTAINTIES and certainty in CERTAINTIES:
                certainty = min(certainty, ceiling, key=CERTAINTIES.index)
            found.append(
                replace(date, start=date.start + start, end=date.end + start, certainty=certainty)
            )
    return found


def _known_event_names(session: Session, event_type: str) -> dict[int, tuple[Event, set[str]]]:
    """Dated events of a kind, with the normalised aliases of their participants."""
    rows = session.execute(
        select(Event, Alias.normalized)
        .join(EventActor, EventActor.event_id == Event.id)
        .join(Alias, Alias.entity_id == EventActor.entity_id)
        .where(Event.type == event_type, Event.date.is_not(None))
    ).all()
    events: dict[int, tuple[Event, set[str]]] = {}
    for event, name in rows:
        events.setdefault(event.id, (event, set()))[1].add(name)
    return events


def _date_of_reference(
    session: Session, text: str, reference: EventReference, anchor: datetime.date
) -> PartialDate | None:
    matches = []
    for event, names in _known_event_names(session, reference.event_type).values():
        name_end = reference.name_end(names)
        if name_end is not None:
            matches.append((event, name_end))
    if not matches:
        return None
    day = anchor.isoformat()
    # The latest event not after the anchor; failing that, the earliest after it.
    before = [m for m in matches if (m[0].date or "") <= day]
    event, name_end = (
        max(before, key=lambda m: m[0].date or "")
        if before
        else min(matches, key=lambda m: m[0].date or "")
    )
    assert event.date is not None
    end = max(name_end, reference.noun_end)
    return PartialDate(
        event.date,
        event.date_precision or "day",
        weaker(reference.certainty, event.date_certainty or "certain"),
        event.date_calendar or "gregorian",
        text[reference.start : end],
        reference.start,
        end,
        anchored=True,
    )


def dates_from_known_events(session: Session, document: Document) -> list[PartialDate]:
    text = document.text or ""
    anchor, _ = publication_anchor(document)
    finder = default_reference_finder()
    found = []
    for start, end, language in language_runs(document):
        for reference in finder.find(text[start:end], language):
            shifted = replace(
                reference,
                start=reference.start + start,
                noun_end=reference.noun_end + start,
                window_start=reference.window_start + start,
            )
            date = _date_of_reference(session, text, shifted, anchor)
            if date is not None:
                found.append(date)
    return found


def dateline(found: list[PartialDate], within: int) -> PartialDate | None:
    """The first full, written-out date near the start of the text."""
    return next(
        (
            date
            for date in found
            if date.start < within
            and date.precision == "day"
            and not date.anchored
            and date.end_value is None
        ),
        None,
    )


class DatesStage(BaseStage):
    name = "dates"
    version = "2"  # 2: minutes are a unit ("منذ 20 دقيقة")
    requires = ("langid",)
    description = (
        "Date expressions as partial dates (Gregorian, Hijri, Jalali and Hebrew calendars, "
        "ranges, relative dates from the publication day, hedged certainty), and the "
        "publication date from the dateline when the page metadata has none."
    )
    settings = (DATELINE_CHARS,)

    def process(self, ctx: StageContext) -> None:
        self.clear_own_rows(ctx, DateMention)
        document = ctx.document
        if not published_by_source(document.published_expression):
            # Our own earlier dateline must not anchor this run's relative dates.
            document.published = document.published_precision = None
            document.published_certainty = document.published_expression = None
        found = find_document_dates(document)
        if document.published is None and (line := dateline(found, ctx.setting(DATELINE_CHARS))):
            document.published = line.value
            document.published_precision = "day"
            document.published_certainty = "likely"
            document.published_expression = line.expression
            # Relative dates count from the dateline's day, not from the day of capture.
            found = find_document_dates(document)
        # A written date inside the phrase ("the funeral on 7 January") wins over the reference.
        found = without_overlaps(
            found + dates_from_known_events(ctx.session, document), lambda d: (d.start, d.end)
        )
        self.write_rows(
            ctx,
            DateMention,
            (
                dict(
                    document_id=document.id,
                    stage=self.name,
                    start=date.start,
                    end=date.end,
                    expression=date.expression,
                    value=date.value,
                    end_value=date.end_value,
                    precision=date.precision,
                    certainty=date.certainty,
                    calendar=date.calendar,
                    relative=date.anchored,
                )
                for date in found
            ),
        )
