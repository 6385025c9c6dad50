"""Who plays which part around a trigger: mention groups, their marks, subject and object.

Dependency-free: mentions joined by a conjunction form a group; a group is marked by a
preposition shortly before it ("with", "مع", "با", "עם"), a clitic letter attached to it
(ב, ل) or a postposition after it (را); the subject is the unmarked group before the
trigger in SVO and SOV languages, after it when an Arabic sentence opens with the verb.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from marsad.events.lexicon import Cue, EventLexicon
from marsad.events.model import EntityMention

WORD = re.compile(r"\w+")


def words_between(text: str, start: int, end: int) -> int:
    return len(WORD.findall(text[start:end])) if end > start else 0


@dataclass
class Group:
    members: list[EntityMention]
    mark: str | None = None  # a role, "place", "setting" (a country it happened in) or "object"

    @property
    def start(self) -> int:
        return self.members[0].start

    @property
    def end(self) -> int:
        return self.members[-1].end

    @property
    def is_place(self) -> bool:
        return all(member.is_city_like for member in self.members)

    @property
    def is_country(self) -> bool:
        return all(member.is_place for member in self.members)


def group_mentions(
    text: str,
    mentions: Sequence[EntityMention],
    conjunctions: Sequence[Cue],
    joiners: Collection[str] = (),
    lists: bool = True,
    fillers: int = 0,
) -> list[Group]:
    """Consecutive mentions joined only by conjunctions or spaces are one group, and so is
    a comma list ending in a conjunction ("A, B and C"; with `lists`: not where a source
    may stand before the comma, "according to X, Y and Z met"); a place never joins a
    group of actors. In a script with capitals, up to `fillers` lower-case words (articles,
    adjectives) may follow the conjunction or comma: "A and the evil awful B"."""
    groups: list[Group] = []
    for mention in mentions:
        if groups and mention.is_city_like == groups[-1].members[-1].is_city_like:
            gap = text[groups[-1].end : mention.start]
            rest, joined = gap, False
            for cue in conjunctions:
                if groups[-1].end <= cue.start and cue.end <= mention.start:
                    opening = not text[groups[-1].end : cue.start].strip(", \t\n")
                    rest = rest.replace(text[cue.start : cue.end], " ")
                    joined = True
                    if opening:  # "A, and B": the comma belongs to the conjunction
                        rest = rest.replace(",", " ", 1)
                        rest = "" if _fillers_only(rest, fillers) else rest
            if rest.strip() in joiners and rest.endswith(rest.strip()):  # وحماس, וחמאס
                rest, joined = "", True
            # Adjacent names without a conjunction are subject and object (التقى A B).
            if joined and not rest.strip():
                groups[-1].members.append(mention)
                continue
        groups.append(Group([mention]))
    return _comma_lists(text, groups, fillers) if lists else groups


def _fillers_only(gap: str, fillers: int) -> bool:
    """ "the evil awful": a few lower-case words (never in uncased scripts) and no punctuation."""
    words = gap.split()
    return 0 < len(words) <= fillers and all(w.isalpha() and w.islower() for w in words)


def _comma_lists(text: str, groups: list[Group], fillers: int = 0) -> list[Group]:
    """ "Arnor, Osgiliath and Gondor": names before a joined group, separated by commas
    only, belong to it (right to left, so a list of any length becomes one group)."""
    for index in range(len(groups) - 2, -1, -1):
        left, right = groups[index], groups[index + 1]
        gap = text[left.end : right.start].strip()
        if (
            len(right.members) > 1
            and (gap == "," or (gap.startswith(",") and _fillers_only(gap[1:], fillers)))
            and left.is_place == right.is_place
        ):
            right.members[:0] = left.members
            del groups[index]
    return groups


def mark_groups(
    text: str,
    groups: list[Group],
    lexicon: EventLexicon,
    prepositions: Sequence[Cue],
    postpositions: Sequence[Cue],
    barriers: Sequence[tuple[int, int]],
) -> None:
    """Give each group the mark of the nearest preposition before it (within the lexicon's
    reach, no other group or trigger between), else of a clitic letter or postposition."""
    previous_end = 0
    for group in groups:
        key = lexicon.normalizer.key(text[max(group.start - 2, 0) : group.start])
        attached = next(
            (
                mark
                for letter, mark in lexicon.attached.items()
                if key.endswith(letter)
                and (len(key) == len(letter) or not key[-len(letter) - 1].isalnum())
            ),
            None,
        )
        before = [
            cue
            for cue in prepositions
            if max(previous_end, 0) <= cue.start
            and cue.end <= group.start
            and words_between(text, cue.end, group.start) <= lexicon.reach
            and not any(cue.end <= b0 and b1 <= group.start for b0, b1 in barriers)
        ]
        after = [
            cue
            for cue in postpositions
            if group.end <= cue.start and words_between(text, group.end, cue.start) <= 1
        ]
        if attached is not None:
            group.mark = attached
        elif before:
            group.mark = max(before, key=lambda cue: cue.end).label
        elif after:
            group.mark = after[0].label
        previous_end = group.end


def clause_initial(text: str, region_start: int, trigger_start: int) -> bool:
    """The trigger opens its clause (Arabic verb-first order): at most one word before it."""
    return words_between(text, region_start, trigger_start) <= 1


def agent_named_after(groups: Sequence[Group], trigger: Cue) -> bool:
    """An agent phrase after the verb ("by X", "على يد X", "נהרגו על ידי X"): the verb is
    told from the side of who suffered it, whatever its form shows."""
    return any(group.mark == "actor" and trigger.end <= group.start for group in groups)


def demote_nominal_agents(
    text: str, groups: Sequence[Group], trigger: Cue, prepositions: Sequence[Cue]
) -> None:
    """In the active voice, a "by" phrase after the verb's own object belongs to that object,
    a noun: in "X condemned an attack by Y" Y is the attacker, what X condemned — the
    verb's object. Only where a lower-case word that is no preposition opens the object
    ("killed in an air strike by Y" keeps Y the agent)."""
    for group in groups:
        if group.mark != "actor" or group.start < trigger.end:
            continue
        by = [c for c in prepositions if c.label == "actor" and trigger.end <= c.start]
        by = [c for c in by if c.end <= group.start]
        if not by:
            continue
        gap = text[trigger.end : max(c.start for c in by)]
        first = WORD.search(gap)
        opens_object = (
            first is not None
            and first.group().isalpha()
            and first.group().islower()
            and not any(c.start <= trigger.end + first.start() < c.end for c in prepositions)
        )
        if opens_object:
            group.mark = "object"


def in_adjunct(text: str, trigger: Cue, prepositions: Sequence[Cue]) -> bool:
    """A noun trigger in a prepositional phrase ("engaged B in a firefight", "left for X for
    meetings"): the event is the clause's, its subject the clause's subject, the first name."""
    return any(
        cue.end <= trigger.start
        and words_between(text, cue.end, trigger.start) <= 1
        and all(w.isalpha() and w.islower() for w in text[cue.end : trigger.start].split())
        for cue in prepositions
    )
