"""Reported speech: who a sentence is attributed to ("according to X", "X said", "قال X"),
so that the source is no participant — unless the reported clause has no subject of its own."""

from __future__ import annotations

import re

from marsad.events.cues import SentenceCues
from marsad.events.lexicon import Cue, EventLexicon
from marsad.events.model import EntityMention
from marsad.events.roles import group_mentions, words_between

CLAUSE_BREAK = re.compile(r"[,،;:؛]")
Sources = dict[tuple[int, int], list[EntityMention]]


def reported_sources(
    text: str,
    lexicon: EventLexicon,
    cues: SentenceCues,
    mentions: list[EntityMention],
) -> Sources:
    """Who a sentence is attributed to: "according to X", "X said" / "قال X", keyed by
    the cue's span. They are no participants, unless the event has no other subject."""
    found: Sources = {}
    groups = group_mentions(
        text,
        mentions,
        cues.conjunctions,
        lexicon.joiners,
        lists=False,
        fillers=lexicon.list_fillers,
    )
    for cue in cues.according_to:
        after = [
            g
            for g in groups
            if cue.end <= g.start
            and words_between(text, cue.end, g.start) <= lexicon.reach
            and not CLAUSE_BREAK.search(text[cue.end : g.start])
        ]
        if after:
            found[(cue.start, cue.end)] = after[0].members
    for cue in cues.speech:
        if any(t.start < cue.end and cue.start < t.end for t in cues.triggers):
            continue  # "said it carried out" is a trigger, not an attribution
        if any(
            c.end <= cue.start and not text[c.end : cue.start].strip() for c in cues.conjunctions
        ):
            continue  # "threatened X and said ...": the subject is the trigger's
        if lexicon.word_order == "vso":
            slot = [
                g
                for g in groups
                if cue.end <= g.start
                and words_between(text, cue.end, g.start) <= lexicon.reach
                and not CLAUSE_BREAK.search(text[cue.end : g.start])
            ]
            speaker = slot[0] if slot else None
        else:
            slot = [
                g
                for g in groups
                if g.end <= cue.start
                and words_between(text, g.end, cue.start) <= lexicon.reach
                and not CLAUSE_BREAK.search(text[g.end : cue.start])
            ]
            speaker = slot[-1] if slot else None
        if speaker is not None and not speaker.is_place:
            found[(cue.start, cue.end)] = speaker.members
    return found


def speaker_for(
    trigger: Cue, sources: Sources, cues: SentenceCues, text: str = ""
) -> list[EntityMention]:
    """The speaker of a report for a reported clause that names no subject of its own: the
    speech before the trigger (X said it would strike ...), or a closing attribution after
    a comma ("... can reach the depths of Israel, X said")."""
    according = {(c.start, c.end) for c in cues.according_to}
    before = [(s, e) for s, e in sources if e <= trigger.start and (s, e) not in according]
    if before:
        return sources[max(before)]
    closing = [
        (s, e)
        for s, e in sources
        if trigger.end <= s
        and (s, e) not in according
        and CLAUSE_BREAK.search(text[trigger.end : s])
    ]
    return sources[min(closing)] if closing else []
