"""The event coder: per sentence, triggers from the language's lexicon, then roles from the
linked mentions, the place, the date, negation and hypotheticals, and threat details.

Sentences come from marsad.text.segment; mentions from the `link` stage; dates from the
`dates` stage. An event without a date in its sentence takes the document's publication
date, one step less certain and marked as a fallback (`date.source == "published"`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from marsad.events.agents import AgentLexicons, default_agent_lexicons, with_agents
from marsad.events.coreference import CLAUSE_PUNCTUATION, refer_back
from marsad.events.cues import (
    SentenceCues,
    background,
    clause_end,
    coordinated,
    first_word,
    hypothetical,
    kept_triggers,
    passive,
    sentence_cues,
)
from marsad.events.lexicon import Cue, EventLexicon, EventLexicons, default_event_lexicons
from marsad.events.model import (
    Affiliation,
    CodedActor,
    CodedEvent,
    EntityMention,
    EventDate,
)
from marsad.events.roles import (
    Group,
    agent_named_after,
    clause_initial,
    demote_nominal_agents,
    group_mentions,
    in_adjunct,
    mark_groups,
    words_between,
)
from marsad.events.speech import Sources, reported_sources, speaker_for
from marsad.events.taxonomy import EventType, Taxonomy, default_taxonomy
from marsad.events.threats import threat_severity, unlinked_targets
from marsad.text.dates.model import CERTAINTIES, PartialDate
from marsad.text.normalize import NormalizedText
from marsad.text.segment import Segment, Segmenter, default_segmenter

Run = tuple[int, int, str | None]
BACKGROUND = "background"  # an earlier event told in passing, not the news
STATEMENT = "statement"
SETTING = "setting"  # a country the event happened in: neither a party nor the place's entity
COUNTRY_REACH_WORDS = 1
COUNTRY_REACH_BEFORE = 3


class EventCoder:
    def __init__(
        self,
        lexicons: EventLexicons | None = None,
        taxonomy: Taxonomy | None = None,
        segmenter: Segmenter | None = None,
        agents: AgentLexicons | None = None,
    ) -> None:
        self.lexicons = lexicons or default_event_lexicons()
        self.agents = agents or default_agent_lexicons()
        self.taxonomy = taxonomy or default_taxonomy()
        self.segmenter = segmenter or default_segmenter()

    def worth_coding(self, text: str, runs: Sequence[Run]) -> bool:
        """Whether any run of the text holds a trigger, a reference back or a speech verb:
        without one no sentence is coded, and the stage need not read its inputs."""
        for run_start, run_end, language in runs:
            lexicon = self.lexicons.get(language)
            if lexicon is not None and self._worth_coding(
                lexicon, lexicon.normalize(text[run_start:run_end])
            ):
                return True
        return False

    @staticmethod
    def _worth_coding(lexicon: EventLexicon, normalized: NormalizedText) -> bool:
        return (
            lexicon.triggers.present(normalized)
            or lexicon.references.present(normalized)
            or (lexicon.speech is not None and lexicon.speech.present(normalized))
        )

    def code(
        self,
        text: str,
        runs: Sequence[Run],
        mentions: Sequence[EntityMention],
        dates: Sequence[PartialDate],
        published: EventDate | None,
        affiliations: Sequence[Affiliation] = (),
    ) -> list[CodedEvent]:
        """Events of a document; every offset is into `text`."""
        mentions = self._without_affiliations(sorted(mentions, key=lambda m: m.start), affiliations)
        events: list[CodedEvent] = []
        for run_start, run_end, language in runs:
            lexicon = self.lexicons.get(language)
            if lexicon is None:
                continue
            agents = self.agents.get(language)
            for piece in self.segmenter.sentences(text[run_start:run_end], language):
                sentence = Segment(piece.start + run_start, piece.end + run_start, piece.text)
                normalized = lexicon.normalize(sentence.text)
                if not self._worth_coding(lexicon, normalized):
                    continue  # nothing to code or complete: spare the agents' search
                cues = sentence_cues(lexicon, sentence, normalized)
                if not (
                    kept_triggers(text, lexicon, cues, self.taxonomy.speech_acts)
                    or _said_only(cues)
                    or any(e.type == cue.label for cue in cues.references for e in events)
                ):
                    continue  # every trigger negated or referring back, nothing earlier told
                linked = [
                    m for m in mentions if sentence.start <= m.start and m.end <= sentence.end
                ]
                slots = [cue.end for cue in cues.speech] + [
                    cue.end for cue in cues.prepositions if cue.label == "actor"
                ]
                inside = with_agents(linked, agents, text, sentence.start, sentence.end, slots)
                near = [d for d in dates if sentence.start <= d.start and d.end <= sentence.end]
                referred = refer_back(text, sentence, cues, self.taxonomy, inside, near, events)
                if not inside:
                    continue
                coded = self._code_sentence(
                    text, sentence, lexicon, cues, inside, near, published, normalized
                )
                events.extend(e for e in coded if e.type not in referred)
        return events

    @staticmethod
    def _without_affiliations(
        mentions: list[EntityMention], affiliations: Sequence[Affiliation]
    ) -> list[EntityMention]:
        def describes_a_person(mention: EntityMention) -> bool:
            return any(
                a.organization_id == mention.entity_id
                and a.start <= mention.start
                and mention.end <= a.end
                and any(
                    m.entity_id == a.person_id and a.start <= m.start and m.end <= a.end
                    for m in mentions
                )
                for a in affiliations
            )

        return [m for m in mentions if not describes_a_person(m)]

    def _code_sentence(
        self,
        text: str,
        sentence: Segment,
        lexicon: EventLexicon,
        cues: SentenceCues,
        mentions: list[EntityMention],
        dates: list[PartialDate],
        published: EventDate | None,
        normalized: NormalizedText | None = None,
    ) -> list[CodedEvent]:
        triggers = kept_triggers(text, lexicon, cues, self.taxonomy.speech_acts)
        said_only = not triggers
        triggers = triggers or _said_only(cues)
        if not triggers:
            return []
        # A trigger with a gap ("أعلنت حركة حماس مسؤوليتها") holds the words in between:
        # its first word is where it stands.
        triggers = [first_word(text, t) for t in triggers]
        mentions = [
            m for m in mentions if not any(t.start < m.end and m.start < t.end for t in triggers)
        ]
        sources = reported_sources(text, lexicon, cues, mentions)
        for start, end in list(sources):  # a speech verb coded as the statement is its own event
            if any(t.start < end and start < t.end for t in triggers):
                del sources[(start, end)]
        events: list[CodedEvent] = []
        previous_actors: list[CodedActor] = []
        for index, trigger in enumerate(triggers):
            region_start = sentence.start if index == 0 else triggers[index - 1].end
            shares_subject = index > 0 and coordinated(
                text, trigger, cues.conjunctions, lexicon.joiners
            )
            if shares_subject:
                region_start = trigger.start  # "X condemned A and ousted B": X did both
            region_end = triggers[index + 1].start if index + 1 < len(triggers) else sentence.end
            region_end = clause_end(trigger, region_end, cues.clause_openers)
            event = self._event(
                text,
                sentence,
                lexicon,
                cues,
                trigger,
                (region_start, region_end),
                mentions,
                sources,
                previous_actors,
                said_only,
                shares_subject,
            )
            if event is None:
                continue
            own = [d for d in dates if not _attributive(text, d, lexicon.determiners)]
            event.date = self._date(trigger, own, event) or (
                published.as_fallback() if published else None
            )
            previous_actors = [a for a in event.actors if a.role == "actor"]
            events.append(event)
        events = _casualties_into_attacks(events)
        suffered = [e for e in events if self.taxonomy.get(e.type).has_victims]
        counts = casualty_counts(text, lexicon, sentence, normalized) if suffered else {}
        for event in suffered:
            event.casualties = dict(counts)
        return events

    def _event(
        self,
        text: str,
        sentence: Segment,
        lexicon: EventLexicon,
        cues: SentenceCues,
        trigger: Cue,
        region: tuple[int, int],
        mentions: list[EntityMention],
        sources: Sources,
        previous_actors: list[CodedActor],
        said_only: bool = False,
        shares_subject: bool = False,
    ) -> CodedEvent | None:
        event_type = self.taxonomy.get(trigger.label)
        if said_only:  # "X believes Y can cope": what is said is about Y (CAMEO's target)
            event_type = replace(event_type, object_role="target")
        speakers = {id(m) for members in sources.values() for m in members}
        targets = (
            unlinked_targets(text, lexicon, trigger, region, mentions)
            if event_type.object_role == "target"
            else []
        )
        if lexicon.word_order != "sov":  # before the verb stands its subject, not its target
            targets = [t for t in targets if trigger.end <= t.start]
        covered = [(t.start, t.end) for t in targets]
        candidates = [
            m
            for m in mentions
            if region[0] <= m.start
            and m.end <= region[1]
            and id(m) not in speakers
            and not any(s <= m.start and m.end <= e for s, e in covered)
        ]
        candidates = [m for m in candidates if not _parenthesised_alias(text, m, candidates)]
        groups = group_mentions(
            text, candidates, cues.conjunctions, lexicon.joiners, fillers=lexicon.list_fillers
        )
        barriers = [(t.start, t.end) for t in cues.triggers]  # its own too: "by X and did Y"
        mark_groups(text, groups, lexicon, cues.prepositions, cues.postpositions, barriers)
        for group in groups:
            if group.mark == "place" and not group.is_place:
                # "fired shells at Seoul": a state where it happened is what it was against
                aimed = event_type.object_role == "target" and trigger.end <= group.start
                # elsewhere a country after "in" is the setting ("killed in Ukraine"); an
                # agent there is no place but may still take a role
                setting = SETTING if group.is_country else None
                group.mark = "object" if aimed and group.is_country else setting
            elif group.mark not in (None, "place", "object") and group.mark not in event_type.roles:
                # "cut ties with X": a partner the type has no role for is its object
                object_like = group.mark == "participant" and event_type.object_role
                group.mark = "object" if object_like and trigger.end <= group.start else None
        # "twelve people were killed in an air strike": the counted suffered the attack too
        harmed_in = event_type.has_victims and in_adjunct(text, trigger, cues.prepositions)
        # "أسفر عن مقتل 34 شخصا": the whole trigger phrase stands before its victims
        whole = max(
            (t for t in cues.triggers if t.start == trigger.start),
            key=lambda t: t.end,
            default=trigger,
        )
        counted = (
            _mark_counted(text, groups, whole, cues.counts)
            if event_type.object_role == "victim" or harmed_in
            else []
        )
        passive_voice = passive(text, trigger, cues.passive, lexicon.progressive_endings)
        if not passive_voice:
            demote_nominal_agents(text, groups, trigger, cues.prepositions)
        # "قتل خمسة مدنيين": counted victims where its subject stands read as the passive;
        # so does an agent phrase after a verb of harm where the language writes no passive
        # auxiliary ("قتل مدنيون على يد X", "נהרגו על ידי X"; English has "was ... by")
        unmarked_passive = lexicon.passive is None and event_type.has_victims
        passive_voice = (
            passive_voice
            or _counted_subject(text, lexicon, groups, trigger, region, counted)
            or (unmarked_passive and agent_named_after(groups, trigger))
        )
        adjunct = lexicon.word_order == "svo" and in_adjunct(text, trigger, cues.prepositions)
        # "أدانت ... وطالبت بمحاسبة المسؤولين": a coordinated verb's subject is the first's
        actors, confidence = self._roles(
            text,
            lexicon,
            event_type,
            trigger,
            region,
            groups,
            passive_voice,
            adjunct,
            shares_subject,
            bool(counted),
        )
        passive_voice = passive_voice or bool(counted)
        if not any(a.role == "actor" for a in actors) and not passive_voice:
            speaker = speaker_for(trigger, sources, cues, text)
            if speaker:
                actors = [CodedActor(m.entity_id, m.surface, "actor") for m in speaker] + actors
                confidence = 0.8
            elif previous_actors:
                actors = previous_actors + actors
                confidence = 0.7
        actors += [CodedActor(None, t.surface, "target") for t in targets]
        # "ten soldiers were killed": a passive with no "by" still tells who suffered it
        if not any(a.role == "actor" for a in actors) and not (passive_voice and actors):
            return None
        event = CodedEvent(
            type=event_type.code,
            start=sentence.start,
            end=sentence.end,
            trigger=(trigger.start, trigger.end),
            language=lexicon.language,
            actors=_unique(actors),
            place_id=self._place(groups, trigger),
            confidence=confidence,
        )
        if background(text, lexicon, trigger, cues.background):
            event.modality = BACKGROUND
            event.confidence = min(event.confidence, 0.5)
        elif event_type.has_severity:
            event.severity = threat_severity(lexicon, sentence)
        elif hypothetical(text, lexicon, trigger, cues.hypotheticals):
            event.modality = "hypothetical"
            event.confidence = min(event.confidence, 0.5)
        return event

    def _roles(
        self,
        text: str,
        lexicon: EventLexicon,
        event_type: EventType,
        trigger: Cue,
        region: tuple[int, int],
        groups: list[Group],
        passive_voice: bool = False,
        adjunct: bool = False,
        shares_subject: bool = False,
        counted: bool = False,
    ) -> tuple[list[CodedActor], float]:
        actors: list[CodedActor] = []
        role_groups = [
            g
            for g in groups
            if not g.is_place
            and g.mark not in ("place", SETTING)
            and (
                not g.is_country
                or g.mark is not None
                or _next_to(text, g, trigger)
                or (event_type.has_severity and trigger.end <= g.start)  # threats name countries
            )
        ]
        unmarked_before = [g for g in role_groups if g.mark is None and g.end <= trigger.start]
        unmarked_after = [g for g in role_groups if g.mark is None and trigger.end <= g.start]
        subject: Group | None = None
        by_agent = [g for g in role_groups if g.mark == "actor"]
        if passive_voice and _verb_first(lexicon, role_groups, trigger, region):
            # "قتل مدنيون على يد X": what the verb names before its agent suffered it
            agent_start = by_agent[0].start if by_agent else region[1]
            for group in unmarked_after:
                if group.end <= agent_start:
                    group.mark = "object"
            unmarked_after = [g for g in unmarked_after if g.mark is None]
            subject = by_agent[0] if by_agent else None
        elif passive_voice:  # "Eriador was opposed by Osgiliath": the subject suffers
            counted = counted and any(
                g.mark == "victim" and g.end <= trigger.start for g in role_groups
            )
            for group in [] if counted else unmarked_before[-1:]:
                group.mark = "object"
            unmarked_before = [] if counted else unmarked_before[:-1]
            subject = by_agent[0] if by_agent else None
        elif shares_subject:
            subject = None
        elif lexicon.word_order == "vso" and clause_initial(text, region[0], trigger.start):
            subject = unmarked_after[0] if unmarked_after else None
        elif unmarked_before and adjunct:  # "A engaged B in a firefight": A acts on B
            subject = unmarked_before[0]
            for group in unmarked_before[1:]:
                group.mark = "object"
        elif unmarked_before:
            subject = unmarked_before[0] if lexicon.word_order == "sov" else unmarked_before[-1]
        if (
            subject is None
            and unmarked_after
            and not shares_subject
            and not (lexicon.word_order == "svo" and event_type.object_role)
        ):  # in SVO a name after the verb is its object ("can reach Israel, X said")
            subject = unmarked_after[0]
        if subject is None:
            subject = by_agent[0] if by_agent else None
        if subject is None:  # "a delegation from Hamas held talks with ...": the delegation acts
            ahead = [g for g in role_groups if g.mark == "participant" and g.end <= trigger.start]
            subject = ahead[0] if ahead else None
        if subject is not None:
            actors += self._members(subject, "actor", event_type)
        objects = [
            g
            for g in role_groups
            if g is not subject
            and (
                g.mark == "object"
                or (g.mark is None and (trigger.end <= g.start or lexicon.word_order == "sov"))
            )
        ]
        if objects and event_type.object_role:
            actors += [
                CodedActor(m.entity_id, m.surface, event_type.object_role)
                for group in objects
                for m in group.members
            ]
        for group in role_groups:
            if group is subject or group.mark in (None, "object"):
                continue
            actors += [CodedActor(m.entity_id, m.surface, str(group.mark)) for m in group.members]
        return actors, 0.9

    @staticmethod
    def _members(group: Group, role: str, event_type: EventType) -> list[CodedActor]:
        """A subject group: all actors, except that in a symmetric event ("A and B met")
        the first is the actor and the others participants."""
        first, *rest = group.members
        other = "participant" if event_type.symmetric else role
        return [CodedActor(first.entity_id, first.surface, role)] + [
            CodedActor(m.entity_id, m.surface, other) for m in rest
        ]

    @staticmethod
    def _place(groups: list[Group], trigger: Cue) -> str | None:
        marked = [m for g in groups if g.mark == "place" for m in g.members if m.is_place]
        cities = [m for g in groups if g.mark is None and g.is_place for m in g.members]
        for candidates in (marked, cities):
            if candidates:
                nearest = min(candidates, key=lambda m: abs(m.start - trigger.start))
                return nearest.entity_id
        return None

    @staticmethod
    def _date(trigger: Cue, dates: list[PartialDate], event: CodedEvent) -> EventDate | None:
        if not dates:
            return None
        # An explicit date beats a guessed one in the same sentence, and a written-out date
        # one inferred from the publication day ("yesterday", "on Tuesday"); then the nearest.
        best = min(
            dates,
            key=lambda d: (
                -CERTAINTIES.index(d.certainty) if d.certainty in CERTAINTIES else 0,
                d.anchored,
                min(abs(d.start - trigger.end), abs(trigger.start - d.end)),
            ),
        )
        return EventDate.from_partial(best)


COUNT_REACH = 3  # words between a casualty word and its number
NUMBER = re.compile(r"\d+")


def casualty_counts(
    text: str, lexicon: EventLexicon, sentence: Segment, normalized: NormalizedText | None = None
) -> dict[str, int]:
    """ "مقتل ثلاثة وإصابة سبعة آخرين", "12 were killed", "killing 3 and wounding 7": the
    number nearest each casualty word (within a few words, not across punctuation)."""
    counts: dict[str, int] = {}
    for cue in lexicon.casualties.find(normalized or lexicon.normalize(sentence.text)):
        if cue.label in counts:
            continue
        start, end = cue.start + sentence.start, cue.end + sentence.start
        found = _number(lexicon, text[end : sentence.end], forward=True)
        if found is None:
            found = _number(lexicon, text[sentence.start : start], forward=False)
        if found is not None:
            counts[cue.label] = found
    return counts


def _number(lexicon: EventLexicon, gap: str, forward: bool) -> int | None:
    clause = re.split(r"[.,;:!?،؛()]", gap)
    words = (clause[0] if forward else clause[-1]).split()
    words = words[: COUNT_REACH + 1] if forward else words[::-1][: COUNT_REACH + 1]
    for word in words:
        digits = NUMBER.fullmatch(word.strip("\"'«»"))
        if digits:
            return int(digits.group())
        key = lexicon.normalizer.key(word.lower())
        # the word, else without a clitic letter written onto it (وسبعة)
        for candidate in (key, key[1:]):
            if candidate in lexicon.numbers:
                return lexicon.numbers[candidate]
    return None


def _said_only(cues: SentenceCues) -> list[Cue]:
    """A sentence that only reports speech ("X said Y can cope with ...", "X believes ..."),
    with no event trigger and no event it refers back to: what X said is the statement."""
    if cues.triggers or cues.references or not cues.speech:
        return []
    return [Cue(STATEMENT, cues.speech[0].start, cues.speech[0].end)]


def _next_to(text: str, group: Group, trigger: Cue) -> bool:
    """A country takes a role unmarked only near the verb: right after it ("threatened
    Israel"), or before it with no punctuation between ("Iran on Monday threatened");
    elsewhere a country name is mostly setting ("in Iraq, ...")."""
    if group.end <= trigger.start:
        gap = text[group.end : trigger.start]
        return (
            not CLAUSE_PUNCTUATION.search(gap)
            and words_between(text, group.end, trigger.start) <= COUNTRY_REACH_BEFORE
        )
    return words_between(text, trigger.end, group.start) <= COUNTRY_REACH_WORDS


def _parenthesised_alias(text: str, mention: EntityMention, mentions: list[EntityMention]) -> bool:
    """ "the European Union (EU)": the bracketed short name repeats the name before it."""
    before = text[: mention.start].rstrip()
    if not before.endswith("(") or not text[mention.end :].lstrip().startswith(")"):
        return False
    opening = len(before) - 1
    return any(m.end <= opening and not text[m.end : opening].strip() for m in mentions)


WORD_BEFORE = re.compile(r"(\w+)(['’]s)?\s+$")
WORD_AFTER = re.compile(r"\s+([^\W\d_]+)")


def _attributive(text: str, date: PartialDate, determiners: set[str]) -> bool:
    """ "the 1994 genocide", "the country's 2006 war": a year naming a noun, not the event's
    date."""
    if date.precision != "year" or date.anchored or not determiners:
        return False
    before = WORD_BEFORE.search(text, max(date.start - 20, 0), date.start)
    after = WORD_AFTER.match(text, date.end)
    return (
        before is not None
        and (before.group(1).lower() in determiners or before.group(2) is not None)
        and after is not None
        and after.group(1).islower()
    )


NUMERAL_BEFORE = re.compile(r"\d[\d,.]*\s*$")


def _counted_subject(
    text: str,
    lexicon: EventLexicon,
    groups: list[Group],
    trigger: Cue,
    region: tuple[int, int],
    counted: list[Group],
) -> bool:
    """The counted victims stand where the verb's subject stands (right before it; right
    after it where an Arabic verb comes first, only places before it: "وفي بعقوبة قتل تسعة
    مدنيين"): the verb is told from their side."""
    if _verb_first(lexicon, groups, trigger, region):
        slot = [g for g in groups if trigger.end <= g.start][:1]
    else:
        slot = _before(groups, trigger, region)[-1:]
    return bool(slot) and slot[0] in counted


def _before(groups: list[Group], trigger: Cue, region: tuple[int, int]) -> list[Group]:
    """The groups that may take a role before the trigger (no places, no settings)."""
    return [
        g
        for g in groups
        if region[0] <= g.start
        and g.end <= trigger.start
        and g.mark not in ("place", SETTING)
        and not g.is_place
    ]


def _verb_first(
    lexicon: EventLexicon, groups: list[Group], trigger: Cue, region: tuple[int, int]
) -> bool:
    """An Arabic verb before any party, only places and times ahead of it."""
    return lexicon.word_order == "vso" and not _before(groups, trigger, region)


def _mark_counted(text: str, groups: list[Group], trigger: Cue, counts: list[Cue]) -> list[Group]:
    """ "eight people were killed", "10 Russian soldiers killed": a counted group before a
    casualty verb suffered it: its victims. So does a counted group right after it, only
    the count between: its object ("killed 12 people"), the genitive of its noun ("مقتل 12
    شخصا") or, where the verb opens the clause, its passive subject ("قتل خمسة مدنيين");
    a counted group further on is never the verb's actor either."""
    found: list[Group] = []
    after = [g for g in groups if trigger.end <= g.start]
    for group in groups:
        if group.mark is not None:
            continue
        if after[:1] == [group]:
            counted = _only_a_count(text, trigger.end, group, counts)
        else:  # before the verb, or further on ("مقتل 172 شخصا فيما فقد 85 شخصا"): no actor
            counted = _counted(text, group, counts)
        if counted:
            group.mark = "victim"
            found.append(group)
    return found


def _counted(text: str, group: Group, counts: list[Cue]) -> bool:
    """A number (digits or a counting word) right before the group."""
    before = text[max(group.start - 30, 0) : group.start]
    return bool(NUMERAL_BEFORE.search(before)) or any(
        c.end <= group.start and not NUMERAL_BEFORE.sub("", text[c.end : group.start]).strip()
        for c in counts
    )


def _only_a_count(text: str, start: int, group: Group, counts: list[Cue]) -> bool:
    """Between `start` and the group stand numbers and counting words, and nothing else."""
    gap = list(text[start : group.start])
    for cue in counts:
        if start <= cue.start and cue.end <= group.start:
            gap[cue.start - start : cue.end - start] = " " * (cue.end - cue.start)
    rest = "".join(gap)
    has_count = rest != text[start : group.start] or NUMBER.search(rest) is not None
    return has_count and not re.sub(r"[\d,.]", "", rest).strip()


def _casualties_into_attacks(events: list[CodedEvent]) -> list[CodedEvent]:
    """An attack and the killing it caused, told in one sentence, are one event: the attack,
    with the killed as its victims ("gunmen attacked a checkpoint, killing three soldiers")."""
    attacks = [e for e in events if e.type == "attack" and e.modality != BACKGROUND]
    if not attacks:
        return events
    kept = []
    for event in events:
        if event.type == "kill" and event.modality == attacks[0].modality:
            victims = [a for a in event.actors if a.role == "victim"]
            killed = {a.key for a in victims}  # the attack's target who was killed: a victim
            attacks[0].actors = _unique(
                [a for a in attacks[0].actors if not (a.role == "target" and a.key in killed)]
                + [CodedActor(a.entity_id, a.surface, "victim") for a in victims]
            )
            continue
        kept.append(event)
    return kept


def _unique(actors: list[CodedActor]) -> list[CodedActor]:
    seen: set[str] = set()
    kept = []
    for actor in actors:
        if actor.key not in seen:
            seen.add(actor.key)
            kept.append(actor)
    return kept
