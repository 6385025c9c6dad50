"""Threat details: targets that are no KB entity ("US forces in Iraq", "القوات الأمريكية في
سوريا") and the severity of a threat, from the cues of the language's lexicon."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from marsad.events.lexicon import Cue, EventLexicon, find
from marsad.events.model import EntityMention
from marsad.events.roles import words_between
from marsad.text.segment import Segment

# Strongest claim first: a condition qualifies any violence named, a boast of means is not
# yet a stated act, and a threat naming no act at all is vague.
SEVERITY_ORDER = ("conditional", "capability_boast", "explicit_violence")
VAGUE = "vague"
PLACE_REACH_WORDS = 2


@dataclass(frozen=True)
class UnlinkedTarget:
    surface: str
    start: int
    end: int


def unlinked_targets(
    text: str,
    lexicon: EventLexicon,
    trigger: Cue,
    region: tuple[int, int],
    mentions: Sequence[EntityMention],
) -> list[UnlinkedTarget]:
    """Target phrases of the lexicon in the trigger's region, extended by the place that
    follows them ("US forces" + "in Iraq")."""
    start, end = region
    normalized = lexicon.normalize(text[start:end])
    found = []
    for cue in find(lexicon.threat_targets, normalized):
        cue_start, cue_end = cue.start + start, cue.end + start
        if cue_start < trigger.end and trigger.start < cue_end:
            continue
        place = next(
            (
                m
                for m in mentions
                if m.is_place
                and cue_end <= m.start <= end
                and words_between(text, cue_end, m.start) <= PLACE_REACH_WORDS
            ),
            None,
        )
        if place is not None:
            cue_end = place.end
        found.append(UnlinkedTarget(text[cue_start:cue_end], cue_start, cue_end))
    return found


def threat_severity(lexicon: EventLexicon, sentence: Segment) -> str:
    labels = {cue.label for cue in lexicon.severity.find(lexicon.normalize(sentence.text))}
    return next((severity for severity in SEVERITY_ORDER if severity in labels), VAGUE)
