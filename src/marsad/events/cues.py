"""The cues of one sentence and the triggers worth coding: one per type, none negated or
referring back, a denial alone, statements only when nothing more specific is said."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from marsad.events.lexicon import Cue, EventLexicon, find
from marsad.events.roles import words_between
from marsad.text.normalize import NormalizedText
from marsad.text.segment import Segment

DENY = "deny"
STATEMENT = "statement"
CLAIM, ATTACK = "claim_attack", "attack"
THREATEN = "threaten"
NEGATION_AFTER_WORDS = 2


@dataclass(frozen=True)
class SentenceCues:
    triggers: list[Cue]
    negations: list[Cue]
    anaphora: list[Cue]
    hypotheticals: list[Cue]
    speech: list[Cue]
    according_to: list[Cue]
    conjunctions: list[Cue]
    prepositions: list[Cue]
    postpositions: list[Cue]
    clause_openers: list[Cue]
    passive: list[Cue]
    background: list[Cue]
    counts: list[Cue]
    references: list[Cue]


def _shifted(cues: list[Cue], offset: int) -> list[Cue]:
    return [Cue(cue.label, cue.start + offset, cue.end + offset) for cue in cues]


def sentence_cues(
    lexicon: EventLexicon, sentence: Segment, normalized: NormalizedText | None = None
) -> SentenceCues:
    normalized = normalized or lexicon.normalize(sentence.text)

    def found(cues: list[Cue]) -> list[Cue]:
        return _shifted(cues, sentence.start)

    return SentenceCues(
        triggers=found(lexicon.triggers.find(normalized)),
        negations=found(find(lexicon.negation, normalized)),
        anaphora=found(find(lexicon.anaphora, normalized)),
        hypotheticals=found(find(lexicon.hypothetical, normalized)),
        speech=found(find(lexicon.speech, normalized)),
        according_to=found(find(lexicon.according_to, normalized)),
        conjunctions=found(find(lexicon.conjunctions, normalized)),
        prepositions=found(lexicon.prepositions.find(normalized)),
        postpositions=found(lexicon.postpositions.find(normalized)),
        clause_openers=found(find(lexicon.clause_openers, normalized)),
        passive=found(find(lexicon.passive, normalized)),
        background=found(find(lexicon.background, normalized)),
        counts=found(find(lexicon.counts, normalized)),
        references=found(lexicon.references.find(normalized)),
    )


def kept_triggers(
    text: str, lexicon: EventLexicon, cues: SentenceCues, speech_acts: Collection[str] = ()
) -> list[Cue]:
    """One trigger per type, in order, none negated; a denial alone (what is denied did
    not happen); statements only when nothing more specific is said, and then a speech act
    said in it ("in a statement, X urged ...") is the statement."""
    kept: list[Cue] = []
    denials = [cue for cue in cues.triggers if cue.label == DENY]
    if denials:  # the rest of the sentence is what is denied, before or after the verb
        return [] if negated(text, lexicon, denials[0], cues.negations) else denials[:1]
    for trigger in sorted(cues.triggers, key=lambda cue: cue.start):
        if any(cue.label == trigger.label for cue in kept):
            continue
        if negated(text, lexicon, trigger, cues.negations):
            continue
        if any(
            c.end <= trigger.start and not text[c.end : trigger.start].strip()
            for c in cues.anaphora
        ):
            continue  # "this meeting", "هذا اللقاء": an event already told
        kept.append(trigger)
    if any(cue.label == STATEMENT for cue in kept):
        kept = [cue for cue in kept if cue.label not in speech_acts]
    if any(cue.label != STATEMENT for cue in kept):
        kept = [cue for cue in kept if cue.label != STATEMENT]
    if any(cue.label == CLAIM for cue in kept):  # the claim is the news, not the attack
        kept = [cue for cue in kept if cue.label != ATTACK]
    asking = [c.start for c in kept if c.label == THREATEN or c.label in speech_acts]
    if asking:  # what a threat promises or an appeal asks for has not happened ...
        kept = [
            c
            for c in kept
            if c.start <= asking[0] or coordinated(text, c, cues.conjunctions, lexicon.joiners)
        ]  # ... but a verb coordinated with it is another deed ("condemned X and ousted Y")
    return kept


def coordinated(
    text: str, trigger: Cue, conjunctions: list[Cue], joiners: Collection[str] = ()
) -> bool:
    """The trigger follows a conjunction directly ("... and ousted") or carries a conjunction
    letter that is not the first word of its sentence ("أدانت ... وطالبت")."""
    before = text[: trigger.start].rstrip()
    attached = (
        text[trigger.start : trigger.start + 1] in joiners
        and bool(before)
        and not before.endswith((".", "!", "?", "؟", ":", "\n"))
    )
    return attached or any(
        c.end <= trigger.start and not text[c.end : trigger.start].strip() for c in conjunctions
    )


def near(text: str, trigger: Cue, cues: list[Cue], before: int, after: int) -> bool:
    """A cue at most `before` words before the trigger or `after` words after it."""
    return any(
        (cue.end <= trigger.start and words_between(text, cue.end, trigger.start) <= before)
        or (trigger.end <= cue.start and words_between(text, trigger.end, cue.start) <= after)
        for cue in cues
    )


def negated(text: str, lexicon: EventLexicon, trigger: Cue, negations: list[Cue]) -> bool:
    """ "did not meet", "لم يلتق"; after the verb too: "دیدار نکرد"."""
    return near(text, trigger, negations, lexicon.reach, NEGATION_AFTER_WORDS)


def hypothetical(text: str, lexicon: EventLexicon, trigger: Cue, hypotheticals: list[Cue]) -> bool:
    """ "plans to open", "من المقرر أن يفتتح", "قرار است ... دیدار کند"."""
    return near(text, trigger, hypotheticals, lexicon.reach, 1)


def first_word(text: str, trigger: Cue) -> Cue:
    """A trigger with a gap ("أعلنت حركة حماس مسؤوليتها") holds the words in between: its
    first word is where it stands."""
    words = text[trigger.start : trigger.end].split()
    return Cue(trigger.label, trigger.start, trigger.start + len(words[0])) if words else trigger


def clause_end(trigger: Cue, region_end: int, openers: list[Cue]) -> int:
    """Where the trigger's clause ends: at the next word that opens another clause ("five
    years after crowds ...", "who had ...") — its names take no part in this event."""
    return min([cue.start for cue in openers if trigger.end <= cue.start] + [region_end])


def passive(text: str, trigger: Cue, cues: list[Cue], progressive: tuple[str, ...] = ()) -> bool:
    """ "was opposed by": an auxiliary right before the trigger or opening it ("were
    released"), not a progressive ("is conducting")."""
    words = text[trigger.start : trigger.end].split()
    if progressive and words and words[0].lower().endswith(progressive):
        return False
    return any(
        (c.end <= trigger.start and not text[c.end : trigger.start].strip())
        or c.start == trigger.start  # the auxiliary opens the trigger: "were released"
        for c in cues
    )


def background(text: str, lexicon: EventLexicon, trigger: Cue, cues: list[Cue]) -> bool:
    """ "who had been arrested", "كانت قد", "that has seized": told as background, not news."""
    return near(text, trigger, cues, lexicon.reach, 0)
