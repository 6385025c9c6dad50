"""Ranges ("between 3 and 5 January") and hedges ("probably") over a grammar's matches."""

from __future__ import annotations

import bisect
from dataclasses import replace

from marsad.text.dates.grammar import Candidate, DateGrammar, Parts, RangePatterns
from marsad.text.dates.model import weaker
from marsad.text.dates.patterns import CLAUSE_BREAK

RANGE_CONTEXT_CHARS = 80  # how far before a date its range's first half is looked for


class RangeJoiner:
    """Joins a grammar's date matches into ranges, using its range rules."""

    def __init__(self, grammar: DateGrammar) -> None:
        self.grammar = grammar

    def join_ranges(self, folded: str, chosen: list[Candidate]) -> list[Candidate]:
        """Merge "from 3 January to 5 February", "between 3 and 5 January" into ranges, and
        give "2" in "2 and 3 March" a date of its own."""
        joined: list[Candidate] = []
        index = 0
        while index < len(chosen):
            current = chosen[index]
            limit = joined[-1].match_end if joined else 0
            following = chosen[index + 1] if index + 1 < len(chosen) else None
            pair = self._range_of_pair(folded, current, following, limit) if following else None
            if pair is not None:
                joined.append(pair)
                index += 2
                continue
            joined.extend(self._range_before(folded, current, limit))
            index += 1
        return joined

    def _range_of_pair(
        self, folded: str, first: Candidate, last: Candidate, limit: int
    ) -> Candidate | None:
        """ "3 January – 5 February 2020", "between 2014 and 2016": two dates of one precision
        with a join between them (and the rule's start word before them)."""
        if first.parts is None or last.parts is None:
            return None
        if (first.parts.day is None) != (last.parts.day is None):
            return None
        if (first.parts.month is None) != (last.parts.month is None):
            return None
        gap = folded[first.match_end : last.match_start]
        for rule in self.grammar.range_rules:
            if not rule.between.fullmatch(gap):
                continue
            if rule.is_list:  # "2 May and 3 May 2020": separate dates, the year shared
                if first.parts.year is None and first.parts.calendar == last.parts.calendar:
                    first.parts.year = last.parts.year
                return None
            start = self._range_start(folded, rule, first, limit)
            if start is None:
                continue
            return Candidate(
                min(start, first.match_start),
                last.match_end,
                start,
                last.end,
                parts=replace(first.parts),
                end_parts=last.parts,
                pieces=(first, last),
            )
        return None

    @staticmethod
    def _range_start(folded: str, rule: RangePatterns, first: Candidate, limit: int) -> int | None:
        """Where a range starting with `first` begins: at the rule's start word before it
        (before its cue, "بين عامي 2014", or its day prefix, "מ-28"), else at `first`."""
        for end in (first.match_start, first.start):
            offset = max(limit, end - RANGE_CONTEXT_CHARS)
            before = rule.start_before.search(folded[offset:end])
            if before is not None and before["start"]:
                return offset + before.start()
        return first.start if rule.start_optional else None

    def _range_before(self, folded: str, last: Candidate, limit: int) -> list[Candidate]:
        """ "between 3 and 5 January", "من 3 إلى 5 شباط", "between January and March 2020":
        the first half is a bare day (or month) taking the rest from `last`."""
        parts = last.parts
        if parts is None or parts.month is None:
            return [last]
        offset = max(limit, last.start - RANGE_CONTEXT_CHARS)
        context = folded[offset : last.start]
        for rule in self.grammar.range_rules:
            if parts.day is not None:
                match = rule.before_day.search(context)
                if match is None:
                    continue
                day = self.grammar.day_value(match["day"])
                first = Parts(day, parts.month, parts.year, parts.calendar)
            else:
                match = rule.before_month.search(context)
                meaning = self.grammar.month_meaning(match["month"]) if match else None
                if match is None or meaning is None or meaning[0] != parts.calendar:
                    continue
                first = Parts(None, meaning[1], parts.year, parts.calendar)
            start = offset + match.start()
            if rule.is_list:
                day_start, day_end = offset + match.start("day"), offset + match.end("day")
                if parts.day is None:
                    day_start, day_end = offset + match.start("month"), offset + match.end("month")
                alone = Candidate(day_start, day_end, day_start, day_end, parts=first)
                return [alone, last]
            return [
                Candidate(
                    start,
                    last.match_end,
                    start,
                    last.end,
                    parts=first,
                    end_parts=parts,
                    pieces=(last,),
                )
            ]
        return [last]


def apply_hedges(grammar: DateGrammar, folded: str, chosen: list[Candidate]) -> None:
    """Lower the certainty of dates that a hedge ("probably", "على الأرجح") qualifies."""
    if not chosen or not grammar.lexicon.hedges:
        return
    starts = [candidate.match_start for candidate in chosen]
    for match in grammar.hedge.finditer(folded):
        hedge = grammar.hedges.get(grammar.key(match["hedge"]))
        if hedge is None:
            continue
        index = bisect.bisect_right(starts, match.start()) - 1
        if index >= 0 and chosen[index].match_end >= match.end():
            continue  # the hedge's words are inside a date
        targets = []
        if hedge.position != "after" and index + 1 < len(chosen):
            following = chosen[index + 1]
            targets.append((following, folded[match.end() : following.match_start]))
        if hedge.position != "before" and index >= 0 and chosen[index].match_end <= match.start():
            preceding = chosen[index]
            targets.append((preceding, folded[preceding.match_end : match.start()]))
        for target, gap in targets:
            if not CLAUSE_BREAK.search(gap) and len(gap.split()) <= hedge.reach:
                target.certainty = weaker(target.certainty, hedge.certainty)
