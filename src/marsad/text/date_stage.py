"""The `dates` stage: every date expression of a document as a partial date, and the
publication date from the dateline when the page's metadata gave none."""

from __future__ import annotations

import datetime
from dataclasses import replace

from marsad.config import Setting, parse_positive_int
from marsad.pipeline.stage import BaseStage, StageContext
from marsad.store.models import DateMention, Document
from marsad.text.dates import PartialDate, default_date_extractor
from marsad.text.extract import PUBLISHED_FROM_METADATA
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
    extractor = default_date_extractor()
    found: list[PartialDate] = []
    for start, end, language in language_runs(document):
        for date in extractor.find_dates(text[start:end], language, anchor):
            certainty = date.certainty
            if date.anchored and not on_publication_day:
                if date.value > anchor.isoformat():
                    continue  # a text cannot speak of days after Marsad saw it as past
                certainty = "possible"
            found.append(
                replace(date, start=date.start + start, end=date.end + start, certainty=certainty)
            )
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
    version = "1"
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
        if document.published_expression != PUBLISHED_FROM_METADATA:
            # Our own earlier dateline must not anchor this run's relative dates.
            document.published = document.published_precision = None
            document.published_certainty = document.published_expression = None
        found = find_document_dates(document)
        ctx.session.add_all(
            DateMention(
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
        )
        if document.published is None and (line := dateline(found, ctx.setting(DATELINE_CHARS))):
            document.published = line.value
            document.published_precision = "day"
            document.published_certainty = "likely"
            document.published_expression = line.expression
