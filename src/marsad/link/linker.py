"""One document's links: exact and contextual alias matches, the fuzzy Latin pass, then roles
read per language span (their bare titles become mentions too); adjectives of nationality
come back apart, as affiliations (marsad.link.demonyms)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from marsad.link.demonyms import AffiliationMatch
from marsad.link.fuzzy import FuzzyLatinMatcher
from marsad.link.matcher import AliasMatcher, MentionMatch
from marsad.link.roles import RoleFinder, RoleRelation, default_role_finder

Run = tuple[int, int, str | None]  # start, end, language


@dataclass(frozen=True)
class DocumentLinks:
    mentions: list[MentionMatch]
    relations: list[RoleRelation]
    affiliations: list[AffiliationMatch] = field(default_factory=list)


class DocumentLinker:
    def __init__(
        self,
        matcher: AliasMatcher,
        fuzzy_min_score: float = 90.0,
        roles: RoleFinder | None = None,
    ) -> None:
        self.matcher = matcher
        self.fuzzy = FuzzyLatinMatcher(matcher, fuzzy_min_score)
        self.roles = roles or default_role_finder()

    def link(self, text: str, runs: Sequence[Run]) -> DocumentLinks:
        """Links in `text`; `runs` give the language of each stretch (for role patterns)."""
        mentions, affiliations = self.matcher.find_links(text, runs)
        mentions = sorted(mentions + self.fuzzy.find_mentions(text, mentions), key=_position)
        relations: list[RoleRelation] = []
        by_title: list[MentionMatch] = []
        for start, end, language in runs:
            inside = [
                replace(m, start=m.start - start, end=m.end - start)
                for m in mentions
                if start <= m.start and m.end <= end
            ]
            found, titled = self.roles.find(text[start:end], language, inside, self.matcher.kind_of)
            relations.extend(replace(r, start=r.start + start, end=r.end + start) for r in found)
            by_title.extend(replace(m, start=m.start + start, end=m.end + start) for m in titled)
        return DocumentLinks(sorted(mentions + by_title, key=_position), relations, affiliations)


def _position(mention: MentionMatch) -> int:
    return mention.start
