"""New names: people and organisations the text names that the knowledge base does not hold.

Three cues, all language data (data/lexicons/<lang>/candidates.yaml): a title before a
person's name ("the commander X Y", "القيادي X Y", "فرمانده X Y", "המפקד X Y"), a word that
begins an organisation's name ("كتائب X", "جنبش X", "ארגון X", "Kataib X"), and — in scripts
with capitals — runs of two or more capitalised words, cut at words that never belong to a
name (sentence starters, titles, months, days, places). Words are compared after
normalisation, with the script's clitic prefixes allowed on a title or head word (لحركة,
והמפקד). Spans overlapping a linked mention, and names an analyst has already judged, are
left out. Offsets index into the original text.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

from marsad.datafiles import language_lexicons
from marsad.errors import ConfigError
from marsad.link.kb import kb_schema
from marsad.link.rules import default_linking_rules
from marsad.text.normalize import NormalizedText, Normalizer, default_normalizer

PERSON = "person"
ORGANIZATION = "organization"
CANDIDATE_KINDS = (PERSON, ORGANIZATION)
# The method of a new name's Mention row: it has no entity until an analyst confirms it.
CANDIDATE_METHOD = "candidate"
WORD = re.compile(r"\w+(?:['’׳\-]\w+)*")
# A word written as a name: a capital, or a lower-case particle joined to one (al-Kaabi).
PARTICLE = re.compile(r"^[^\W\d_]{1,3}-(?=\w)")
POSSESSIVE = re.compile(r"['’]s?$")

Span = tuple[int, int]
Run = tuple[int, int, str | None]  # start, end, language


@dataclass(frozen=True, slots=True)
class Candidate:
    """A name to review: `key` is its normalised form, the queue's grouping key."""

    surface: str
    start: int
    end: int
    kind: str
    key: str


@dataclass(frozen=True)
class CandidateRules:
    """One language's data/lexicons/<lang>/candidates.yaml, normalised."""

    person_titles: tuple[tuple[str, ...], ...]  # longest first
    title_modifiers: frozenset[str]
    organization_heads: frozenset[str]
    organization_tails: frozenset[str]
    stop_words: frozenset[str]
    connectors: frozenset[str]
    person_words: tuple[int, int]
    organization_words: tuple[int, int]
    capitalised: bool
    clitics: frozenset[str]

    @cached_property
    def titles_by_first_word(self) -> dict[str, list[tuple[str, ...]]]:
        """Person titles (longest first) by their first word as written, bare or with a clitic
        (القيادي, والقيادي): each token is one look-up, with no clitic stripped per token."""
        index: dict[str, list[tuple[str, ...]]] = {}
        for title in self.person_titles:
            for form in (title[0], *(clitic + title[0] for clitic in self.clitics)):
                index.setdefault(form, []).append(title)
        return index

    @cached_property
    def organization_head_clitics(self) -> dict[str, int]:
        """Organisation head words as written -> the length of the clitic before the head
        (حركة 0, لحركة 1); the shortest clitic where two readings exist."""
        index = dict.fromkeys(self.organization_heads, 0)
        for clitic in sorted(self.clitics, key=lambda c: (len(c), c)):
            for head in self.organization_heads:
                index.setdefault(clitic + head, len(clitic))
        return index

    @classmethod
    def from_data(
        cls, language: str, data: Mapping[str, Any], normalizer: Normalizer
    ) -> CandidateRules:
        def words(field: str, required: bool = True) -> frozenset[str]:
            values = data[field] if required else data.get(field) or ()
            return frozenset(normalizer.key(str(value)) for value in values)

        def bounds(field: str) -> tuple[int, int]:
            low, high = (int(value) for value in data[field])
            if not 1 <= low <= high:
                raise ValueError(f"{field} must be [min, max] with 1 <= min <= max")
            return low, high

        try:
            titles = {tuple(normalizer.key(str(t)).split()) for t in data["person_titles"]}
            script = kb_schema().languages.get(language, "")
            return cls(
                person_titles=tuple(sorted(titles, key=len, reverse=True)),
                title_modifiers=words("title_modifiers", required=False),
                organization_heads=words("organization_heads"),
                organization_tails=words("organization_tails", required=False),
                stop_words=words("stop_words"),
                connectors=words("connectors", required=False),
                person_words=bounds("person_words"),
                organization_words=bounds("organization_words"),
                capitalised=bool(data.get("capitalised", False)),
                clitics=default_linking_rules().clitic_prefixes.get(script, frozenset()),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigError(
                f"lexicons/{language}/candidates.yaml: missing or bad field {exc}"
            ) from None


@dataclass(frozen=True, slots=True)
class Token:
    word: str  # normalised
    start: int  # offsets into the original run
    end: int
    normalized_start: int
    capitalised: bool
    spaced: bool  # only white space (no line break) since the previous token


class RunReader:
    """The candidates of one language run, in the order of the cues' priority. Words inside
    a linked mention are left out, and no name reaches across one."""

    def __init__(
        self,
        rules: CandidateRules,
        original: str,
        normalized: NormalizedText,
        covered: bytearray | None = None,
        offset: int = 0,
    ) -> None:
        """`covered` marks the characters of linked mentions in the whole text, of which the
        run starts at `offset`."""
        self.rules = rules
        self.normalized = normalized
        self.tokens: list[Token] = []
        previous_end = 0
        after_linked = False
        for match in WORD.finditer(normalized.text):
            start, end = normalized.original_span(match.start(), match.end())
            if covered is not None and covered.find(1, offset + start, offset + end) != -1:
                after_linked = True
                continue
            if rules.capitalised and (possessive := POSSESSIVE.search(original[start:end])):
                end -= len(possessive.group())  # Hassan's: the name ends before the 's
            between = normalized.text[previous_end : match.start()]
            self.tokens.append(
                Token(
                    match.group(),
                    start,
                    end,
                    match.start(),
                    rules.capitalised and _capitalised(original[start:end]),
                    between.isspace() and "\n" not in between and not after_linked,
                )
            )
            previous_end = match.end()
            after_linked = False

    def candidates(self) -> list[tuple[int, int, str]]:
        """(start, end, kind) of every cue, titles and heads before capitals; offsets into
        the original run."""
        found = self._by_title_or_head()
        if self.rules.capitalised:
            found.extend(self._capitalised_runs())
        return found

    def span(self, first: int, last: int, clitic: int = 0) -> tuple[int, int]:
        """The original span of tokens [first, last), without a clitic on the first."""
        start = self.tokens[first].start
        if clitic:
            after = self.tokens[first].normalized_start + clitic
            start = self.normalized.original_span(after, len(self.normalized.text))[0]
        return start, self.tokens[last - 1].end

    def _title_length(self, index: int) -> int:
        """How many tokens a person title starting at token `index` spans (0: none); its first
        word may carry a clitic (والقيادي)."""
        for title in self.rules.titles_by_first_word.get(self.tokens[index].word, ()):
            words = [token.word for token in self.tokens[index + 1 : index + len(title)]]
            if words == list(title[1:]):
                return len(title)
        return 0

    def _is_name_word(self, token: Token) -> bool:
        return (
            token.spaced
            and token.word not in self.rules.stop_words
            and not any(char.isdigit() for char in token.word)
            and (token.capitalised or not self.rules.capitalised)
        )

    def _name_after(self, index: int, bounds: tuple[int, int]) -> int:
        """How many name words start at token `index` (0 when fewer than the minimum)."""
        low, high = bounds
        count = 0
        while (
            count < high
            and index + count < len(self.tokens)
            and self._is_name_word(self.tokens[index + count])
        ):
            count += 1
        return count if count >= low else 0

    def _by_title_or_head(self) -> list[tuple[int, int, str]]:
        found: list[tuple[int, int, str]] = []
        index = 0
        while index < len(self.tokens):
            title = self._title_length(index)
            if title:
                start = index + title
                while start < len(self.tokens) and self.tokens[start].word in (
                    self.rules.title_modifiers
                ):
                    start += 1
                count = self._name_after(start, self.rules.person_words)
                if count:
                    found.append((*self.span(start, start + count), PERSON))
                    index = start + count
                    continue
            elif (
                clitic := self.rules.organization_head_clitics.get(self.tokens[index].word)
            ) is not None:
                count = self._name_after(index + 1, self.rules.organization_words)
                if count and (self.tokens[index].capitalised or not self.rules.capitalised):
                    found.append((*self.span(index, index + 1 + count, clitic), ORGANIZATION))
                    index += 1 + count
                    continue
            index += 1
        return found

    def _capitalised_runs(self) -> list[tuple[int, int, str]]:
        """Runs of capitalised words (connectors inside), cut at stop words."""
        found: list[tuple[int, int, str]] = []
        run: list[int] = []
        for index, token in enumerate([*self.tokens, None]):
            joins = token is not None and (token.spaced or not run)
            inside = token is not None and (
                (token.capitalised and token.word not in self.rules.stop_words)
                or (token.word in self.rules.connectors and bool(run))
            )
            if joins and inside:
                run.append(index)
                continue
            found.extend(self._named_run(run))
            run = [index] if token is not None and inside else []
        return found

    def _named_run(self, run: list[int]) -> list[tuple[int, int, str]]:
        """The run as a name, if its capitalised words are as many as a name has."""
        while run and self.tokens[run[-1]].word in self.rules.connectors:
            run = run[:-1]
        words = [self.tokens[i].word for i in run]
        capitals = sum(1 for word in words if word not in self.rules.connectors)
        if capitals < 2:
            return []
        if words[0] in self.rules.organization_heads or words[-1] in self.rules.organization_tails:
            low, high = self.rules.organization_words
            # the head or tail word comes on top of the name's own words
            return (
                [(*self.span(run[0], run[-1] + 1), ORGANIZATION)]
                if low <= capitals - 1 <= high
                else []
            )
        low, high = self.rules.person_words
        return [(*self.span(run[0], run[-1] + 1), PERSON)] if low <= capitals <= high else []


class CandidateFinder:
    def __init__(self, rules: Mapping[str, CandidateRules], normalizer: Normalizer) -> None:
        self.rules = rules
        self.normalizer = normalizer
        from marsad.link.fastnorm import TableNormalizer  # numpy loads with the first finder

        self.fast_normalizer = TableNormalizer(normalizer)

    @classmethod
    def from_data(cls, normalizer: Normalizer) -> CandidateFinder:
        return cls(
            {
                language: CandidateRules.from_data(language, data, normalizer)
                for language, data in language_lexicons("candidates").items()
            },
            normalizer,
        )

    def key(self, surface: str) -> str:
        """The queue's grouping key of a name: normalised, white space collapsed."""
        return " ".join(self.normalizer.key(surface).split())

    def find(
        self,
        text: str,
        runs: Sequence[Run],
        linked: Iterable[Span] = (),
        judged: Collection[tuple[str, str]] = frozenset(),
    ) -> list[Candidate]:
        """Candidates in `text` (offsets into it), read per language run; none overlapping a
        `linked` span, none whose (key, kind) is in `judged`."""
        covered = bytearray(len(text))
        for start, end in linked:
            covered[start:end] = b"\x01" * (end - start)
        found: list[Candidate] = []
        for run_start, run_end, language in runs:
            rules = self.rules.get(language or "")
            if rules is None:
                continue
            original = text[run_start:run_end]
            normalized = self.fast_normalizer.normalize(original)
            reader = RunReader(rules, original, normalized, covered, run_start)
            for found_start, found_end, kind in reader.candidates():
                start, end = run_start + found_start, run_start + found_end
                if covered.find(1, start, end) != -1:
                    continue
                surface = text[start:end]
                key = self.key(surface)
                if (key, kind) in judged:
                    continue
                found.append(Candidate(surface, start, end, kind, key))
                covered[start:end] = b"\x01" * (end - start)
        return sorted(found, key=lambda candidate: candidate.start)


def _capitalised(word: str) -> bool:
    particle = PARTICLE.match(word)
    rest = word[particle.end() :] if particle else word
    return rest[:1].isupper()


@cache
def default_candidate_finder(skip: frozenset[str] = frozenset()) -> CandidateFinder:
    return CandidateFinder.from_data(default_normalizer(skip))
