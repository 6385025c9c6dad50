"""Actors without the knowledge base: countries, international bodies, generic state and armed
agents ("security forces", "gunmen") and, in languages written with capitals, unknown proper
names — each found in a sentence with a CAMEO-style code (country or body, agent class).

The data is per language (data/lexicons/<lang>/agents.yaml, format in docs/taxonomy.md);
country names come from pycountry (in the language when pycountry has its translation), so
every country is known in every language we read. A country or name followed by an agent
noun is one agent ("Afghan forces" = AFG + MIL, "Gondor's army"); an agent noun alone is an
unnamed agent ("gunmen" = REB). What the KB links always wins over what is found here.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

import pycountry

from marsad.datafiles import language_lexicons
from marsad.errors import ConfigError
from marsad.events.model import COUNTRY, AgentCode, EntityMention
from marsad.text.normalize import Normalizer, default_normalizer

TOKEN = re.compile(r"\w+(?:[.-]\w+)*\.?")
LONGEST_PHRASE = 5
NAME_CODE_LETTERS = 3
POSSESSIVE_ADJECTIVES = 3  # "Gondor's awful and evil minister"
# A sentence's first word is capitalised anyway: verb forms and adverbs there are no names.
NOT_NAME_ENDINGS = ("ed", "ing", "ly")
WORD_KEYS_KEPT = 200_000  # bound on the remembered word keys of one language
Kind = str  # country | body | sector | name | place


@dataclass(frozen=True)
class Atom:
    start: int
    end: int
    kind: Kind
    code: str
    bare: bool = True  # no clitic letter written onto it (לבנון, not בלבנון)


def _pycountry_names(language: str) -> dict[str, list[str]]:
    """Country names pycountry knows, in `language` when it ships that translation."""
    try:
        translate = gettext.translation(
            "iso3166-1", pycountry.LOCALES_DIR, languages=[language]
        ).gettext
    except OSError:
        translate = None
    names: dict[str, list[str]] = {}
    for country in pycountry.countries:
        english = [country.name, getattr(country, "common_name", None)]
        found = [n for n in english if n] if language == "en" else []
        if translate is not None:
            found += [translate(n) for n in english if n and translate(n) != n]
        if found:
            names[country.alpha_3] = found
    return names


class AgentLexicon:
    """One language's agents.yaml, with pycountry's country names, compiled to lookups."""

    def __init__(
        self,
        language: str,
        data: Mapping[str, Any],
        normalizer: Normalizer,
        counting: Iterable[str] = (),
    ) -> None:
        where = f"lexicons/{language}/agents.yaml"
        self.language = language
        self.normalizer = normalizer
        self.capitalised = bool(data.get("capitalised", False))
        # "Afghan forces" (en, ur) or "القوات الأفغانية" (ar, fa, he): where the country stands
        self.country_first = bool(data.get("country_first", False))
        self.clitics = sorted((self._key(c) for c in _list(data, "clitics", where)), key=len)[::-1]
        self.demonym_endings = [self._key(e) for e in _list(data, "demonym_endings", where)]
        self.demonym_prefixes = [""] + [
            self._key(p) for p in _list(data, "demonym_prefixes", where)
        ]
        self.modifiers = {self._key(m) for m in _list(data, "modifiers", where)}
        self.not_names = {self._key(m) for m in _list(data, "not_names", where)}
        # "Twelve people", "Dozens of civilians": a word that counts opens no name
        self.not_names |= {word for phrase in counting for word in self._key(phrase).split()}
        self.affiliations = {self._key(m) for m in _list(data, "affiliations", where)}
        self.genitives = {self._key(m) for m in _list(data, "genitives", where)}
        self.demonym_restore = [self._key(e) for e in _list(data, "demonym_restore", where)] or [""]
        self.place_words = {self._key(m) for m in _list(data, "place_words", where)}
        # "القوات الحكومية", "نیروهای دولتی": adjectives that stay with the agent noun before
        # them (its class unchanged) and never stand alone as an agent
        self.sector_adjectives = {self._key(m) for m in _list(data, "sector_adjectives", where)}
        self.conjunctions = {self._key(m) for m in _list(data, "conjunctions", where)}
        self.phrases: dict[str, tuple[Kind, str]] = {}
        # what one word is, worked out once per process: its key, phrase, demonym
        self._word_keys: dict[str, str] = {}
        self._lookups: dict[str, tuple[Kind, str, bool] | None] = {}
        self._demonyms: dict[str, str | None] = {}
        self._longest: dict[str, int] = {}  # the widest phrase a word (or its stem) opens
        countries = _pycountry_names(language)
        for code, names in _table(data, "countries", where).items():
            countries.setdefault(code, []).extend(names)
        self._add("country", countries)
        self._add("body", _table(data, "bodies", where))
        self._add("sector", _table(data, "sectors", where))
        self.country_keys = {k for k, (kind, _) in self.phrases.items() if kind == "country"}
        # the longest phrase each first word opens, so most words cost one lookup
        self.widths: dict[str, int] = {}
        for key in self.phrases:
            first, width = key.split()[0], len(key.split())
            self.widths[first] = max(self.widths.get(first, 0), width)

    def _key(self, text: str) -> str:
        return " ".join(
            self.normalizer.key(m.group()).lower().replace(".", "").replace("’", "'")
            for m in TOKEN.finditer(text)
        )

    def add_actors(self, table: Mapping[str, Iterable[str]]) -> None:
        """Named actors from a third-party dictionary, by code: found like bodies (a name
        the lexicon already knows keeps its own code)."""
        self._add("body", table)
        for key in self.phrases:
            first, width = key.split()[0], len(key.split())
            self.widths[first] = max(self.widths.get(first, 0), width)
        self._lookups.clear()
        self._longest.clear()

    def _word_key(self, word: str) -> str:
        """`_key` of one token, remembered: sentences repeat the same few thousand words."""
        key = self._word_keys.get(word)
        if key is None:
            if len(self._word_keys) >= WORD_KEYS_KEPT:  # a bound, not a cache policy
                self._word_keys.clear()
                self._lookups.clear()
                self._demonyms.clear()
                self._longest.clear()
            key = self._word_keys[word] = self._key(word)
        return key

    def _add(self, kind: Kind, table: Mapping[str, Iterable[str]]) -> None:
        for code, names in table.items():
            for name in names:
                key = self._key(name)
                if key and key not in self.phrases:
                    self.phrases[key] = (kind, code)

    def _lookup(self, key: str) -> tuple[Kind, str, bool] | None:
        """The kind and code of a phrase, and whether it stands bare (no clitic letter)."""
        if key in self._lookups:
            return self._lookups[key]
        found = self._lookups[key] = self._lookup_clitics(key)
        return found

    def _lookup_clitics(self, key: str) -> tuple[Kind, str, bool] | None:
        found = self.phrases.get(key)
        if found is not None:
            return (*found, True)
        for clitic in self.clitics:  # وبالعراق, לישראל
            if key.startswith(clitic) and len(key) > len(clitic) + 1:
                found = self.phrases.get(key[len(clitic) :])
                if found is not None:
                    return (*found, False)
        return None

    def _demonym(self, key: str) -> str | None:
        """ "Libyan" -> Libya, "Iraqi" -> Iraq, "السورية" -> سوريا, "איראני" -> איראן."""
        if key not in self._demonyms:
            self._demonyms[key] = self._demonym_of(key)
        return self._demonyms[key]

    def _demonym_of(self, key: str) -> str | None:
        for ending in self.demonym_endings:
            if not key.endswith(ending) or len(key) <= len(ending) + 2:
                continue
            stem = key[: -len(ending)]
            stems = {stem} | {
                stem[len(p) :] for p in self.demonym_prefixes if p and stem.startswith(p)
            }
            stems |= {p + stem for p in self.demonym_prefixes}
            for candidate in (s + r for s in stems for r in self.demonym_restore):
                if candidate in self.country_keys:
                    return self.phrases[candidate][1]
        return None

    def atoms(self, text: str, start: int, end: int) -> list[Atom]:
        """Countries, bodies, agent nouns and (capitalised languages) names in text[start:end]."""
        tokens = [
            (start + m.start(), start + m.start() + len(m.group().rstrip(".")), m.group())
            for m in TOKEN.finditer(text[start:end])
        ]
        keys = [self._word_key(word) for _, _, word in tokens]
        found: list[Atom] = []
        index = 0
        while index < len(tokens):
            atom, width = self._atom_at(text, tokens, keys, index)
            if atom is not None:
                found.append(atom)
            index += width
        return found

    def _atom_at(
        self, text: str, tokens: list[tuple[int, int, str]], keys: list[str], index: int
    ) -> tuple[Atom | None, int]:
        first = keys[index]
        longest = self._longest.get(first)
        if longest is None:
            longest = self._longest[first] = max(
                [self.widths.get(first, 0)]
                + [self.widths.get(first[len(c) :], 0) for c in self.clitics if first.startswith(c)]
            )
        for width in range(min(longest, LONGEST_PHRASE, len(tokens) - index), 0, -1):
            found = self._lookup(" ".join(keys[index : index + width]))
            if found is None:
                continue
            kind, code, bare = found
            if kind != "sector" and self.capitalised and not tokens[index][2][0].isupper():
                continue  # "us" is no country, "un" no body
            if kind == "sector":
                width = self._with_adjectives(text, tokens, keys, index, index + width)
            return Atom(tokens[index][0], tokens[index + width - 1][1], kind, code, bare), width
        word = tokens[index][2]
        affiliated = self._affiliation(tokens[index], keys[index])
        if affiliated is not None:
            return affiliated, 1
        if self.capitalised and not word[0].isupper():
            return None, 1
        demonym = self._demonym(keys[index])
        if demonym is not None:
            return Atom(tokens[index][0], tokens[index][1], "country", demonym), 1
        if not self.capitalised or not self._name_word(tokens, keys, index, index == 0):
            return None, 1
        last = index
        while (
            last + 1 < len(tokens)
            and not text[tokens[last][1] : tokens[last + 1][0]].strip()
            and self._name_word(tokens, keys, last + 1, False)
        ):
            last += 1
        code = re.sub(r"\W", "", word).upper()[:NAME_CODE_LETTERS]
        kind = "place" if keys[last] in self.place_words else "name"
        return Atom(tokens[index][0], tokens[last][1], kind, code), last - index + 1

    def _with_adjectives(
        self, text: str, tokens: list[tuple[int, int, str]], keys: list[str], first: int, end: int
    ) -> int:
        """The width of the agent noun phrase tokens[first:end] with the `sector_adjectives`
        right after it (only spaces between)."""
        while (
            end < len(tokens)
            and keys[end] in self.sector_adjectives
            and not text[tokens[end - 1][1] : tokens[end][0]].strip()
        ):
            end += 1
        return end - first

    def _affiliation(self, token: tuple[int, int, str], key: str) -> Atom | None:
        """ "Iran-backed", "US-led", "Al-Qaeda-linked": the country or name behind an agent."""
        head, _, tail = key.rpartition("-")
        if not head or tail not in self.affiliations:
            return None
        found = self._lookup(head)
        if found is not None and found[0] in ("country", "body"):
            return Atom(token[0], token[1], found[0], found[1])
        word = token[2]
        if self.capitalised and word[0].isupper() and head not in self.not_names:
            code = re.sub(r"\W", "", word).upper()[:NAME_CODE_LETTERS]
            return Atom(token[0], token[1], "name", code)
        return None

    def _name_word(
        self, tokens: list[tuple[int, int, str]], keys: list[str], index: int, first: bool
    ) -> bool:
        word, key = tokens[index][2], keys[index]
        if (
            not word[0].isupper()
            or key in self.not_names
            or key in self.modifiers  # "Deputy Prime Minister": a title's modifier, no name
            or self._lookup(key) is not None
        ):
            return False
        return not (first and key.endswith(NOT_NAME_ENDINGS))

    def find(self, text: str, start: int, end: int) -> list[EntityMention]:
        """Agents in text[start:end] (a sentence), as mentions with no entity."""
        atoms = self._compounds(text, self.atoms(text, start, end))
        mentions: list[EntityMention] = []
        index = 0
        while index < len(atoms):
            head = atoms[index]
            if head.kind == "place":  # "Yellow Sea": setting, never an actor
                surface = text[head.start : head.end]
                mentions.append(EntityMention(None, surface, head.start, head.end, "place"))
                index += 1
                continue
            country = head.code if head.kind != "sector" else None
            sector = head.code if head.kind == "sector" else None
            last, named = head, head.kind == "name"
            following = atoms[index + 1] if index + 1 < len(atoms) else None
            if (
                self.country_first
                and head.kind != "sector"
                and head.bare
                and following is not None
                and following.kind == "sector"
            ):
                if self._only_modifiers(text[head.end : following.start]):
                    sector, last, index = following.code, following, index + 1
                    portfolio = atoms[index + 1] if index + 1 < len(atoms) else None
                    if (
                        portfolio is not None
                        and portfolio.kind == "name"
                        and self._genitive(text[last.end : portfolio.start])
                    ):  # "Gondor's Ministry of Silly Walks": its portfolio, no second agent
                        last, index = portfolio, index + 1
            elif (
                head.kind == "sector"
                and following is not None
                and following.kind in ("country", "body", "name")
                and following.bare
                and self._genitive(text[head.end : following.start])
            ):  # "الجيش العراقي", "forces of Gondor", "צבא ישראל"
                country, last, index = following.code, following, index + 1
                named = following.kind == "name"
            after = atoms[index + 1] if index + 1 < len(atoms) else None
            if (
                last.kind == "sector"
                and after is not None
                and after.kind == "name"
                and not text[last.end : after.start].strip()
            ):  # "Prime Minister Romendacil": the person is the agent
                last, index = after, index + 1
            kind = COUNTRY if head.kind == "country" and sector is None else "agent"
            mentions.append(
                EntityMention(
                    None,
                    text[head.start : last.end],
                    head.start,
                    last.end,
                    kind,
                    COUNTRY if kind == COUNTRY else None,
                    AgentCode(country, sector, named),
                )
            )
            index += 1
        return self._shared_countries(text, mentions)

    def _shared_countries(self, text: str, mentions: list[EntityMention]) -> list[EntityMention]:
        """ "Danish media and government": agent nouns coordinated after a country's agent
        are that country's too (DNK MED, DNK GOV)."""
        shared = list(mentions)
        for index in range(1, len(shared)):
            previous, agent = shared[index - 1].agent, shared[index].agent
            if (
                previous is not None
                and previous.country is not None
                and previous.sector is not None
                and agent is not None
                and agent.country is None
                and agent.sector is not None
                and self._key(text[shared[index - 1].end : shared[index].start])
                in self.conjunctions
            ):
                code = AgentCode(previous.country, agent.sector, previous.guessed)
                shared[index] = replace(shared[index], agent=code)
        return shared

    def _compounds(self, text: str, atoms: list[Atom]) -> list[Atom]:
        """Agent nouns side by side are one agent of the head noun's class: "government
        forces" (MIL), "قوات الحكومة" (MIL) — the head is last where countries come first."""
        merged: list[Atom] = []
        for atom in atoms:
            previous = merged[-1] if merged else None
            if (
                previous is not None
                and previous.kind == atom.kind == "sector"
                and atom.bare  # "الطلاب واللاجئين": a conjunction letter joins two agents
                and not text[previous.end : atom.start].strip()
            ):
                code = atom.code if self.country_first else previous.code
                merged[-1] = Atom(previous.start, atom.end, "sector", code, previous.bare)
            else:
                merged.append(atom)
        return merged

    def _genitive(self, gap: str) -> bool:
        words = [self._key(word) for word in TOKEN.findall(gap)]
        return not re.search(r"[^\w\s]", gap) and all(w in self.genitives for w in words)

    def _only_modifiers(self, gap: str) -> bool:
        """ "Gondor's top military commander": only possessives and modifiers between; after
        a possessive, a few lower-case words too ("Gondor's awful and evil minister")."""
        possessive = re.match(r"\s*['’]s\b", gap) is not None
        gap = re.sub(r"['’]s\b", " ", gap)
        if re.search(r"[^\w\s-]", gap):
            return False
        words = TOKEN.findall(gap)
        adjectives = possessive and len(words) <= POSSESSIVE_ADJECTIVES
        return all(
            self._key(word) in self.modifiers or (adjectives and word.islower()) for word in words
        )

    def code_of(self, surface: str) -> AgentCode | None:
        """The agent code of an actor's surface ("Gondorian troops" -> GON MIL)."""
        found = self.find(surface, 0, len(surface))
        return found[0].agent if found else None


def _list(data: Mapping[str, Any], key: str, where: str) -> list[str]:
    raw = data.get(key) or []
    if not isinstance(raw, list):
        raise ConfigError(f"{where}: `{key}` must be a list")
    return [str(item) for item in raw]


def _table(data: Mapping[str, Any], key: str, where: str) -> dict[str, list[str]]:
    raw = data.get(key) or {}
    if not isinstance(raw, dict) or not all(isinstance(v, list) for v in raw.values()):
        raise ConfigError(f"{where}: `{key}` must map codes to lists of names")
    return {str(code): [str(n) for n in names] for code, names in raw.items()}


class AgentLexicons:
    def __init__(self, lexicons: Mapping[str, AgentLexicon]) -> None:
        self.lexicons = lexicons

    def get(self, language: str | None) -> AgentLexicon | None:
        return self.lexicons.get((language or "").split("-")[0].lower())


@cache
def default_agent_lexicons(dictionaries: tuple[str, ...] = ()) -> AgentLexicons:
    """The shipped agents of every language, with the actors of the given PETRARCH/Phoenix
    actor dictionary files added to each (settings: events_actor_dictionaries)."""
    normalizer = default_normalizer()
    actors: dict[str, list[str]] = {}
    for path in dictionaries:
        for code, names in read_actor_dictionary(Path(path)).items():
            actors.setdefault(code, []).extend(names)
    events = language_lexicons("events")
    lexicons = {
        language: AgentLexicon(language, data, normalizer, _counting(events.get(language, {})))
        for language, data in language_lexicons("agents").items()
    }
    for lexicon in lexicons.values():
        lexicon.add_actors(actors)
    return AgentLexicons(lexicons)


def _counting(events: Mapping[str, Any]) -> list[str]:
    """The words that count people in a language's events.yaml: `counts` and `numbers`."""
    return [str(w) for w in events.get("counts") or []] + [
        str(w) for w in events.get("numbers") or {}
    ]


DICTIONARY_CODE = re.compile(r"\[([^\]\s]+)[^\]]*\]")


def read_actor_dictionary(path: Path) -> dict[str, list[str]]:
    """Actors of a PETRARCH/TABARI/Phoenix actor dictionary, by code: `NAME_OF_GROUP_ [CODE]`
    lines, each followed by `+ALIAS_` lines (underscores stand for spaces; `#` comments;
    a bracketed abbreviation in a name is an alias of its own; a date-restricted code,
    `[USAGOV >20010101]`, gives its code alone)."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as exc:
        raise ConfigError(f"actor dictionary {path}: {exc.strerror}") from None
    actors: dict[str, list[str]] = {}
    names: list[str] = []
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("+") and names:
            names.extend(n for alias in line.split("+") for n in _dictionary_names(alias))
            continue
        code = DICTIONARY_CODE.search(line)
        if code is None:
            names = []
            continue
        names = actors.setdefault(code.group(1), [])  # the alias lines that follow add here
        names.extend(_dictionary_names(line[: code.start()]))
    return {code: list(dict.fromkeys(found)) for code, found in actors.items() if found}


def _dictionary_names(raw: str) -> list[str]:
    """ "ADEN_ABYAN_ISLAMIC_ARMY_(AAIA)_" -> "ADEN ABYAN ISLAMIC ARMY", "AAIA"."""
    text = " ".join(raw.replace("_", " ").split())
    found = [" ".join(re.sub(r"\([^)]*\)", " ", text).split())]
    found += [" ".join(a.split()) for a in re.findall(r"\(([^)]*)\)", text)]
    return [name for name in found if len(name) > 1]


def with_agents(
    mentions: Sequence[EntityMention],
    agents: AgentLexicon | None,
    text: str,
    start: int,
    end: int,
    open_slots: Sequence[int] = (),
) -> list[EntityMention]:
    """The linked mentions of a sentence and the agents found beside them (never over them).
    Where the sentence names a linked actor, only agents of a country or body join it: the
    knowledge base's names are the precise ones, and generic nouns around them ("crowds",
    "a delegation from X") are mostly setting — except right after an open slot (the end of
    "said" or of "by"): "Hamas said gunmen attacked ...", "killed by government forces"."""
    if agents is None:
        return list(mentions)
    linked_actor = any(not m.is_place for m in mentions)
    found = [
        a
        for a in agents.find(text, start, end)
        if not any(_overlap(m, a) and not _qualifies(a, m) for m in mentions)
        and not (linked_actor and not _national(a) and not _in_slot(text, a, open_slots))
    ]
    kept = [m for m in mentions if not any(_qualifies(a, m) for a in found)]
    return sorted([*kept, *found], key=lambda m: m.start)


def _overlap(one: EntityMention, other: EntityMention) -> bool:
    return one.start < other.end and other.start < one.end


def _qualifies(agent: EntityMention, linked: EntityMention) -> bool:
    """ "the Kuwait government": a linked country inside an agent is the agent's country."""
    return (
        agent.agent is not None
        and agent.agent.sector is not None
        and linked.is_place
        and not linked.is_city_like
        and agent.start <= linked.start
        and linked.end <= agent.end
    )


SLOT_WORDS = 2  # "said gunmen", "said that the gunmen"


def _in_slot(text: str, agent: EntityMention, open_slots: Sequence[int]) -> bool:
    return any(
        slot <= agent.start and len(TOKEN.findall(text[slot : agent.start])) <= SLOT_WORDS
        for slot in open_slots
    )


def _national(mention: EntityMention) -> bool:
    agent = mention.agent
    return agent is not None and agent.country is not None and not agent.guessed
