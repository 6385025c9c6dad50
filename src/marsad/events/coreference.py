"""Event coreference inside a document: "the meeting", "the attack", "the talks" refer back
to the latest event of that type already coded, and the referring sentence completes it — a
date more precise than the one it had (or than the publication date standing in), a place,
and the participants named in the same clause ("The meeting, held in Tehran in January 2020
..."). The sentence then codes no second event of that type."""

from __future__ import annotations

import re
from collections.abc import Sequence

from marsad.events.cues import SentenceCues, clause_end
from marsad.events.model import CodedActor, CodedEvent, EntityMention, EventDate
from marsad.events.taxonomy import Taxonomy
from marsad.text.dates.model import PartialDate
from marsad.text.segment import Segment

PARTICIPANT = "participant"
CLAUSE_PUNCTUATION = re.compile(r"[,،;:؛()]")
PRECISIONS = ("year", "month", "day")  # vaguest first


def refer_back(
    text: str,
    sentence: Segment,
    cues: SentenceCues,
    taxonomy: Taxonomy,
    mentions: Sequence[EntityMention],
    dates: Sequence[PartialDate],
    earlier: Sequence[CodedEvent],
) -> set[str]:
    """Complete the earlier events this sentence refers back to; their types."""
    references, openers = cues.references, cues.clause_openers
    referred: set[str] = set()
    for cue in references:
        event = next((e for e in reversed(earlier) if e.type == cue.label), None)
        if event is None or cue.label in referred:
            continue
        referred.add(cue.label)
        end = clause_end(cue, sentence.end, openers)
        clause_dates = [d for d in dates if cue.end <= d.start and d.end <= end] or list(dates)
        if clause_dates:
            _complete_date(event, min(clause_dates, key=lambda d: abs(d.start - cue.end)))
        places = [m for m in mentions if m.is_city_like and cue.end <= m.start and m.end <= end]
        if places and event.place_id is None:
            event.place_id = places[0].entity_id
        if PARTICIPANT in taxonomy.get(event.type).roles:
            comma = CLAUSE_PUNCTUATION.search(text, cue.end, end)
            bound = comma.start() if comma else end
            _add_participants(event, [m for m in mentions if not m.is_place and m.end <= bound])
    return referred


def _complete_date(event: CodedEvent, found: PartialDate) -> None:
    """A date read in the text beats the publication date standing in, and a more precise
    one beats a vaguer one."""
    current = event.date
    better = (
        current is None
        or current.source != "text"
        or PRECISIONS.index(found.precision) > PRECISIONS.index(current.precision)
    )
    if better:
        event.date = EventDate.from_partial(found)


def _add_participants(event: CodedEvent, mentions: Sequence[EntityMention]) -> None:
    known = {a.key for a in event.actors}
    for mention in mentions:
        actor = CodedActor(mention.entity_id, mention.surface, PARTICIPANT)
        if actor.key not in known:
            event.actors.append(actor)
            known.add(actor.key)
