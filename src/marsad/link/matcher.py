"""Finding the knowledge base's names in text: an Aho-Corasick automaton over normalised aliases.

The text is normalised (marsad.text.normalize) and searched in one pass; a hit counts when it
stands as a word of its own, or after a clitic prefix of its script (وحماس, للنجباء, בחיזבאללה;
data/lexicons/<lang>/linking.yaml). Overlapping hits: the longest wins. Every mention carries
offsets into the original text. Each hit passes the checks of marsad.link.guards first: aliases
are scoped by the language of the text around them (a Persian spelling that is an Arabic word
needs evidence), a clitic is not split off a token that is a word, Latin case must fit. Names
that could mean something else — a bare surname, an alias that is an everyday word, a name two
entities share — are linked only with context (marsad.link.context): the entity named in full
earlier (nearby, for an everyday word), an organisation it belongs to named nearby, or a place
word before a place name. Latin-script names not in the KB but close to one are found by a
conservative fuzzy pass (marsad.link.fuzzy).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import NamedTuple

import ahocorasick
from sqlalchemy import select
from sqlalchemy.orm import Session

from marsad.link.aliases import detect_script
from marsad.link.context import DocumentContext
from marsad.link.demonyms import AffiliationMatch, DemonymRules, default_demonym_rules
from marsad.link.guards import (
    PLACE_KINDS,
    VARIANT_ORIGIN,
    LanguageAt,
    LanguageRun,
    MentionGuard,
    Verdict,
    generated_word,
)
from marsad.link.places import part_of_pairs, place_neighbourhoods

# re-exported: other packages import the rules from here
from marsad.link.rules import LinkingRules as LinkingRules
from marsad.link.rules import default_linking_rules as default_linking_rules
from marsad.store.models import Alias, Entity, Relation
from marsad.text.normalize import Normalizer, default_normalizer

# Relations that make an organisation's mention context for its people and branches.
BELONGING = frozenset(
    {
        "leader_of",
        "secretary_general_of",
        "deputy_secretary_general_of",
        "head_of_political_bureau_of",
        "commander_of",
        "spokesperson_of",
        "founder_of",
        "member_of",
        "branch_of",
        "outlet_of",
    }
)
MIN_SURNAME_LETTERS = 4
EXACT_CONFIDENCE = 1.0
PREFIXED_CONFIDENCE = 0.95
CONTEXT_CONFIDENCE = 0.8
PLACE_TITLE_REACH = 40  # characters before a name searched for a place word


@dataclass(frozen=True, slots=True)
class MentionMatch:
    entity_id: str
    surface: str
    start: int
    end: int
    method: str  # alias | phrasing | context | fuzzy | role
    confidence: float


@dataclass(frozen=True)
class KnownName:
    """One alias as the matcher sees it."""

    entity_id: str
    kind: str
    name: str
    script: str | None = None
    origin: str | None = None  # "phrasing": denotes the entity without naming it
    language: str | None = None


@dataclass
class KeyEntry:
    """Everything one normalised key can stand for."""

    key: str
    script: str | None
    # entities it names outright / only with context, in the order they came (dicts as
    # ordered sets: a common surname names thousands)
    direct: dict[str, None] = field(default_factory=dict)
    contextual: dict[str, None] = field(default_factory=dict)
    # Length of a clitic the key starts with (a stored variant such as لحركة النجباء): the
    # mention begins after it, as when the clitic is found in the text.
    clitic: int = 0
    suffix: int = 0  # likewise for an ending written onto the name (Hamas's)
    phrasing: bool = False  # a phrasing, not a name ("the Zionist entity"): said in the mention
    # Languages of the aliases behind the key (None: unknown), and their spellings as written
    # (Latin case tells a name from a word: "Said" and "said").
    languages: set[str | None] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    # Contextual because it is an everyday word (needs evidence nearby), not only a surname
    # (which an earlier full mention anywhere in the document resolves).
    local: bool = False
    candidates: frozenset[str] = frozenset()
    sole: str | None = None  # the one entity it names outright, if only one
    kinds: frozenset[str] = frozenset()  # of the candidates
    # Languages in which the candidates have names of their own (this key's or others).
    native_languages: frozenset[str | None] = frozenset()
    attested: bool = False  # some alias behind it is the KB's own, not a generated variant
    # entity -> languages in which the key is an adjective naming it (عراقية, Iraqi)
    demonym_of: dict[str, set[str]] = field(default_factory=dict)

    def settle(self, kinds: Mapping[str, str], languages: Mapping[str, set[str | None]]) -> None:
        self.candidates = frozenset(self.direct) | frozenset(self.contextual)
        self.sole = next(iter(self.direct)) if len(self.direct) == 1 else None
        self.kinds = frozenset(kinds[c] for c in self.candidates if c in kinds)
        self.native_languages = frozenset(
            language for c in self.candidates for language in languages.get(c, ())
        )


class Hit(NamedTuple):  # a tuple: long texts give many, and tuples are cheap
    entry: KeyEntry
    start: int  # normalised offsets
    end: int
    prefixed: bool
    split: int  # > 0: a clitic was split off in the text; the normalised start of the token
    key_start: int  # normalised start of the key as found (a stored clitic included)


class AliasMatcher:
    def __init__(
        self,
        names: Iterable[KnownName],
        memberships: Mapping[str, Iterable[str]] | None = None,
        normalizer: Normalizer | None = None,
        rules: LinkingRules | None = None,
        demonyms: DemonymRules | None = None,
    ) -> None:
        self.normalizer = normalizer or default_normalizer()
        self.rules = rules or default_linking_rules()
        self.demonyms = demonyms or default_demonym_rules()
        from marsad.link.fastnorm import TableNormalizer  # numpy loads with the first matcher

        self.fast_normalizer = TableNormalizer(self.normalizer)
        self.guard = MentionGuard(self.rules, self.normalizer)
        # entity -> the organisations whose mention is context for it
        self.memberships = {e: frozenset(orgs) for e, orgs in (memberships or {}).items()}
        self.kinds: dict[str, str] = {}
        self.languages: dict[str, set[str | None]] = defaultdict(set)  # entity -> of its names
        self.entries: dict[str, KeyEntry] = {}
        self.name_words: dict[str, set[str]] = defaultdict(set)  # entity -> Latin name words
        for name in names:
            self._add_name(name)
        self._add_demonyms()
        self._mark_clitic_variants()
        reverse: dict[str, set[str]] = defaultdict(set)
        for member, organisations in self.memberships.items():
            for organisation in organisations:
                reverse[organisation].add(member)
        # organisation -> who belongs to it
        self.members = {org: frozenset(found) for org, found in reverse.items()}
        for entry in self.entries.values():
            entry.settle(self.kinds, self.languages)
        self.automaton = ahocorasick.Automaton()
        for key, entry in self.entries.items():
            self.automaton.add_word(key, entry)
        if self.entries:
            self.automaton.make_automaton()

    @classmethod
    def from_session(
        cls,
        session: Session,
        normalizer: Normalizer | None = None,
        rules: LinkingRules | None = None,
    ) -> AliasMatcher:
        """A matcher over every alias in the store; KB relations give membership context."""
        rows = session.execute(
            select(
                Alias.entity_id, Entity.kind, Alias.name, Alias.script, Alias.origin, Alias.language
            ).join(Entity, Entity.id == Alias.entity_id)
        )
        names = [KnownName(*row) for row in rows]
        memberships: dict[str, set[str]] = defaultdict(set)
        relations = session.execute(
            select(Relation.subject_id, Relation.object_id).where(
                Relation.document_id.is_(None), Relation.predicate.in_(BELONGING)
            )
        )
        for subject, target in relations:
            memberships[subject].add(target)
        for place, around in place_neighbourhoods(part_of_pairs(session)).items():
            memberships[place].update(around)
        return cls(names, memberships, normalizer, rules)

    def _entry(self, key: str, script: str | None) -> KeyEntry:
        entry = self.entries.get(key)
        if entry is None:
            entry = self.entries[key] = KeyEntry(key, script)
        return entry

    def _add_name(self, name: KnownName) -> None:
        key = self.normalizer.key(name.name).strip()
        if not any(c.isalnum() for c in key):
            return
        script = name.script or detect_script(name.name)
        if name.origin == VARIANT_ORIGIN and generated_word(name.name, key, name.language):
            return  # a generated spelling that is an everyday word (حلت is not Hillah)
        self.kinds[name.entity_id] = name.kind
        self.languages[name.entity_id].add(name.language)
        if script == "Latn":
            self.name_words[name.entity_id].update(key.replace("-", " ").split())
        ambiguous = self.rules.is_ambiguous(key, script)
        self._register(key, script, name, contextual=ambiguous, local=ambiguous)
        if name.origin == "phrasing":
            self.entries[key].phrasing = True
        if name.kind == "person":
            for surname in self._surnames(key):
                self._register(surname, script, name, contextual=True, local=False)

    def _add_demonyms(self) -> None:
        """Each demonym of a KB entity as a key, with the article where its script has one
        (العراقية is one word to the automaton)."""
        for demonym in self.demonyms.demonyms:
            if demonym.entity_id not in self.kinds:
                continue
            key = self.normalizer.key(demonym.form).strip()
            script = detect_script(demonym.form)
            for form in (key, *(a + key for a in self.rules.definite_forms(script))):
                entry = self._entry(form, script)
                entry.demonym_of.setdefault(demonym.entity_id, set()).add(demonym.language)

    def _register(
        self, key: str, script: str | None, name: KnownName, contextual: bool, local: bool
    ) -> None:
        for form in self.rules.written_forms(key, script):
            entry = self._entry(form, script)
            (entry.contextual if contextual else entry.direct)[name.entity_id] = None
            entry.languages.add(name.language)
            entry.local = entry.local or local
            entry.attested = entry.attested or name.origin != VARIANT_ORIGIN
            if form == key:
                entry.names.add(name.name)

    def _mark_clitic_variants(self) -> None:
        """Stored variants that are a name plus a clitic or an ending: the mention is the
        name alone, as when the matcher finds the clitic in the text itself."""
        for entry in self.entries.values():
            if not entry.direct:
                continue
            script = entry.script or ""
            entry.clitic = self._attached(entry, self.rules.clitic_prefixes.get(script, ()), True)
            entry.suffix = self._attached(
                entry, self.rules.attached_suffixes.get(script, ()), False
            )
            bare = self.entries.get(entry.key[entry.clitic : len(entry.key) - entry.suffix])
            entry.phrasing = entry.phrasing or (bare is not None and bare.phrasing)

    def _attached(self, entry: KeyEntry, pieces: Iterable[str], at_start: bool) -> int:
        """The length of the longest piece at the start (or end) of the key whose removal
        leaves a key naming the same entities."""
        for piece in sorted(pieces, key=len, reverse=True):
            if not (entry.key.startswith(piece) if at_start else entry.key.endswith(piece)):
                continue
            rest = entry.key[len(piece) :] if at_start else entry.key[: -len(piece)]
            bare = self.entries.get(rest)
            if bare is not None and bare.direct == entry.direct:
                return len(piece)
        return 0

    def _surnames(self, key: str) -> list[str]:
        """The last word of a person's full name, with and without its article; the last two
        when the last alone is not a surname (نصر الله, Nasr Allah)."""
        words = key.split()
        if len(words) < 2:
            return []
        last = words[-1]
        if last in self.rules.not_surnames and len(words) >= 3:
            return [" ".join(words[-2:])]
        forms = [last]
        for article in ("al-", "el-", "ال"):
            if last.startswith(article):
                forms.append(last[len(article) :])
        return [
            form
            for form in forms
            if sum(c.isalpha() for c in form) >= MIN_SURNAME_LETTERS
            and form not in self.rules.not_surnames
        ]

    def _titled_place(self, text: str, start: int, entry: KeyEntry) -> str | None:
        """The one place among the candidates when a place word stands right before the name
        ("مدينة جدة", "the city of Tyre"): the text says it is a place."""
        before = text[max(0, start - PLACE_TITLE_REACH) : start].split()
        if not before or self.normalizer.key(before[-1]) not in self.rules.place_titles:
            return None
        places = [e for e in entry.candidates if self.kinds.get(e) == "place"]
        return places[0] if len(places) == 1 else None

    def kind_of(self, entity_id: str) -> str | None:
        return self.kinds.get(entity_id)

    def _after_clitic(self, text: str, start: int, script: str | None) -> int:
        """The start of the word around `start` when it begins with one of the script's
        clitic prefixes and the hit starts right after it; -1 otherwise."""
        word_start = start - 1
        while word_start > 0 and text[word_start - 1].isalnum():
            word_start -= 1
        if text[word_start:start] in self.rules.clitic_prefixes.get(script or "", ()):
            return word_start
        return -1

    def hits(self, normalized: str) -> list[Hit]:
        """Word-bounded hits; of overlapping keys the leftmost-longest is taken (one pass in
        the automaton, which keeps the number of candidates small on long texts)."""
        if not self.entries:
            return []
        found: list[Hit] = []
        length = len(normalized)
        for last, entry in self.automaton.iter_long(normalized):
            end = last + 1
            if end < length and normalized[end].isalnum():
                continue
            start = end - len(entry.key)
            split = -1
            if start == 0 or not normalized[start - 1].isalnum():
                prefixed = entry.clitic > 0
            elif (split := self._after_clitic(normalized, start, entry.script)) >= 0:
                prefixed = True
            else:
                continue
            found.append(
                Hit(entry, start + entry.clitic, end - entry.suffix, prefixed, split, start)
            )
        return found

    def find_mentions(self, text: str, runs: Sequence[LanguageRun] = ()) -> list[MentionMatch]:
        """Mentions of KB entities in `text`, ordered by position, offsets into `text`; `runs`
        give the language of each stretch (aliases are scoped by language)."""
        return self.find_links(text, runs)[0]

    def find_links(
        self, text: str, runs: Sequence[LanguageRun] = ()
    ) -> tuple[list[MentionMatch], list[AffiliationMatch]]:
        """Mentions, and affiliations named by adjectives of nationality (marsad.link.demonyms),
        each ordered by position."""
        normalized = self.fast_normalizer.normalize(text)
        hits = self.hits(normalized.text)
        languages = LanguageAt(runs)
        linked: list[MentionMatch] = []
        affiliations: list[AffiliationMatch] = []
        pending: list[tuple[MentionMatch, KeyEntry, Verdict]] = []  # need context to resolve
        for hit in hits:
            start, end = normalized.original_span(hit.start, hit.end)
            affiliation = self._affiliation(text, start, end, hit.entry, languages.at(start))
            if affiliation is not None:
                affiliations.append(affiliation)
                continue
            token = None
            if hit.split >= 0:
                token = (
                    normalized.original_span(hit.split, hit.end)[0],
                    normalized.original_span(hit.key_start, hit.end)[0],
                )
            verdict = self.guard.check(text, start, end, hit, token, languages.at(start))
            entity = hit.entry.sole
            if verdict is Verdict.DROP:
                continue
            if entity is not None and verdict is Verdict.LINK:
                confidence = PREFIXED_CONFIDENCE if hit.prefixed else EXACT_CONFIDENCE
                method = "phrasing" if hit.entry.phrasing else "alias"
                linked.append(MentionMatch(entity, text[start:end], start, end, method, confidence))
            else:
                unresolved = MentionMatch("", text[start:end], start, end, "context", 0.0)
                pending.append((unresolved, hit.entry, verdict))
        context = DocumentContext(self.members, text, linked)
        resolved = list(linked)
        for mention, entry, verdict in pending:
            local = entry.local or verdict is not Verdict.LINK
            if not local and self.guard.other_first_name(text, mention, entry, self.name_words):
                continue
            full_name_only = verdict is Verdict.NEEDS_FULL_NAME
            entity_id = context.resolve(entry.candidates, mention.start, local, not full_name_only)
            if entity_id is None and not full_name_only:
                entity_id = self._titled_place(text, mention.start, entry)
            if entity_id is not None:
                resolved.append(
                    replace(mention, entity_id=entity_id, confidence=CONTEXT_CONFIDENCE)
                )
        return sorted(resolved, key=lambda m: m.start), affiliations

    def _affiliation(
        self, text: str, start: int, end: int, entry: KeyEntry, language: str | None
    ) -> AffiliationMatch | None:
        """An adjective of nationality (Iraqi, العراقية), or a country's name made one by a
        compound ending (Iran-backed), as the affiliation of the noun beside it."""
        owner = self.guard.affiliation(text, start, end, entry, language)
        compound = self.demonyms.compound_after(text, end, language)
        if owner is None and compound >= 0 and entry.sole and entry.kinds <= PLACE_KINDS:
            owner = entry.sole
        if owner is None:
            return None
        head = self.demonyms.head_of(text, start, max(end, compound), language)
        return AffiliationMatch(owner, text[start:end], start, end, *(head or (None, None)))
