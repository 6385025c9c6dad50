"""Scoring the linker on third-party NER corpora (../shared/eval: ANERcorp, Arman, NEMO).

Those corpora tag names by type (person, organisation, place ...), not by entity, so a link is
judged by the type of the name it lands on:
  precision  a link to a person, organisation/outlet or place is right when it overlaps a gold
             name of that type. Convention: a place linked inside a longer name of another
             type — an organisation, facility, work or event ("the Lebanese Army", "Baghdad
             airport", "Tehran University") — counts as right: the place is named there. A
             link where the gold has no name counts as wrong (strict precision); the judged
             precision counts as right the (surface, entity) pairs read and judged right on
             untagged spans (bench/linking_judged_untagged.yaml: names the annotators missed,
             "the Lebanese army"). Links to other kinds are not scored.
  recall     of gold person/organisation/place names whose whole surface, or the surface
             without one clitic prefix of its language (لل, و, ה, ב ...), is a KB alias of an
             entity of that type: the share overlapped by a link of that type.
Sentences are grouped into documents of `SENTENCES_PER_DOCUMENT` in corpus order (the
corpora are runs of news articles without boundaries), so in-document context is exercised.
The baseline is exact whole-word matching of the KB's own aliases (no variants, no clitics,
no context) in normalised text, an alias shared by two entities left out.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import ahocorasick
from sqlalchemy import select
from sqlalchemy.orm import Session

from marsad.datafiles import load_yaml
from marsad.link.linker import DocumentLinker
from marsad.link.matcher import MentionMatch
from marsad.link.rules import default_linking_rules
from marsad.link.store import VARIANT
from marsad.store.models import Alias, Entity
from marsad.text.normalize import Normalizer, default_normalizer

SENTENCES_PER_DOCUMENT = 8
# Gold labels of each corpus -> the type a link is judged against.
LABEL_TYPES = {
    "pers": "person",
    "per": "person",
    "org": "organization",
    "loc": "place",
    "gpe": "place",
    "fac": "facility",
}
# KB kinds -> gold type; other kinds are not scored.
KIND_TYPES = {
    "person": "person",
    "organization": "organization",
    "media_outlet": "organization",
    "place": "place",
    "country": "place",
}
CORPORA = {
    "ar": ("ner_ar_anercorp", ("ANERCorp.txt",)),
    "fa": ("ner_fa_arman", ("test_fold2.txt", "test_fold3.txt")),
    "he": ("ner_he_nemo", ("spmrl_token-single_gold_dev.bmes",)),
}


@dataclass(frozen=True)
class GoldName:
    start: int
    end: int
    type: str  # person | organization | place | facility | other


@dataclass(frozen=True)
class NerDocument:
    language: str
    text: str
    names: tuple[GoldName, ...]


def _label(tag: str) -> tuple[str, str]:
    """ "B-PERS" -> ("B", "person"); "O" -> ("O", "")."""
    position, _, label = tag.partition("-")
    if not label:
        return "O", ""
    return position.upper(), LABEL_TYPES.get(label.lower(), "other")


def read_tagged_sentences(
    path: Path, sentence_end: str | None = None
) -> Iterator[list[tuple[str, str]]]:
    """(token, tag) sentences of a CoNLL-style file: a blank line ends a sentence, and so does
    a token equal to `sentence_end` (ANERcorp has no blank lines)."""
    sentence: list[tuple[str, str]] = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            parts = line.split()
            if len(parts) < 2:
                if sentence:
                    yield sentence
                    sentence = []
                continue
            sentence.append((parts[0], parts[-1]))
            if sentence_end is not None and parts[0] == sentence_end and parts[-1] == "O":
                yield sentence
                sentence = []
    if sentence:
        yield sentence


def documents_from_sentences(
    language: str, sentences: Iterable[list[tuple[str, str]]], size: int = SENTENCES_PER_DOCUMENT
) -> Iterator[NerDocument]:
    """Tokens joined by spaces, `size` sentences to a document (one per line), with the gold
    names' character spans (BIO, IOB and BIOES tags alike)."""
    batch: list[list[tuple[str, str]]] = []
    for sentence in sentences:
        batch.append(sentence)
        if len(batch) == size:
            yield _document(language, batch)
            batch = []
    if batch:
        yield _document(language, batch)


def _document(language: str, sentences: Sequence[list[tuple[str, str]]]) -> NerDocument:
    pieces: list[str] = []
    names: list[GoldName] = []
    offset = 0
    for sentence in sentences:
        open_name: tuple[int, int, str] | None = None
        for index, (token, tag) in enumerate(sentence):
            start = offset + (1 if index else 0)
            end = start + len(token)
            pieces.append((" " if index else "") + token)
            offset = end
            position, kind = _label(tag)
            if open_name is not None and (position in ("B", "S", "O") or kind != open_name[2]):
                names.append(GoldName(*open_name))
                open_name = None
            if position == "O":
                continue
            open_name = (open_name[0], end, kind) if open_name else (start, end, kind)
        if open_name is not None:
            names.append(GoldName(*open_name))
        pieces.append("\n")
        offset += 1
    return NerDocument(language, "".join(pieces), tuple(names))


def load_corpus(eval_dir: Path, language: str) -> list[NerDocument]:
    folder, files = CORPORA[language]
    sentence_end = "." if language == "ar" else None
    documents: list[NerDocument] = []
    for name in files:
        sentences = read_tagged_sentences(eval_dir / folder / name, sentence_end)
        documents.extend(documents_from_sentences(language, sentences))
    return documents


@dataclass
class TypedCounts:
    """Link precision and KB-alias recall on one corpus."""

    right: int = 0
    wrong: int = 0
    untagged_right: int = 0  # of the wrong: on an untagged span, judged right
    alias_names: int = 0
    alias_names_found: int = 0
    wrong_links: Counter[tuple[str, str]] = field(default_factory=Counter)  # (surface, entity)
    missed: Counter[str] = field(default_factory=Counter)

    @property
    def precision(self) -> float:
        return self.right / (self.right + self.wrong) if self.right + self.wrong else 1.0

    @property
    def recall(self) -> float:
        return self.alias_names_found / self.alias_names if self.alias_names else 1.0

    @property
    def judged_precision(self) -> float:
        """Precision counting links judged right on untagged spans as right."""
        found = self.right + self.wrong
        return (self.right + self.untagged_right) / found if found else 1.0


@dataclass(frozen=True)
class TypedLink:
    start: int
    end: int
    type: str
    entity_id: str
    surface: str


class AliasIndex:
    """The KB's own aliases (no generated variants) by normalised form, with their types."""

    def __init__(self, session: Session, normalizer: Normalizer | None = None) -> None:
        self.normalizer = normalizer or default_normalizer()
        rows = session.execute(
            select(Alias.normalized, Alias.entity_id, Entity.kind)
            .join(Entity, Entity.id == Alias.entity_id)
            .where(Alias.origin != VARIANT)
        )
        self.types: dict[str, set[str]] = {}
        self.entities: dict[str, set[str]] = {}
        for key, entity_id, kind in rows:
            if kind in KIND_TYPES and key.strip():
                self.types.setdefault(key, set()).add(KIND_TYPES[kind])
                self.entities.setdefault(key, set()).add(entity_id)
        self.kinds = {
            entity: kind for entity, kind in session.execute(select(Entity.id, Entity.kind))
        }
        self.prefixes = sorted(
            {p for found in default_linking_rules().clitic_prefixes.values() for p in found},
            key=len,
            reverse=True,
        )

    def alias_type_of(self, surface: str) -> set[str]:
        """The types of KB entities `surface` (or `surface` less one clitic prefix) names."""
        key = self.normalizer.key(surface).strip()
        found = set(self.types.get(key, ()))
        for prefix in self.prefixes:
            if key.startswith(prefix) and len(key) > len(prefix) + 1:
                found |= self.types.get(key[len(prefix) :], set())
        return found

    def baseline_links(self, text: str) -> list[MentionMatch]:
        """Exact whole-word matches of the KB's own aliases in normalised text."""
        normalized = self.normalizer.normalize(text)
        found = []
        for start, end in _word_bounded(self._automaton(), normalized.text):
            key = normalized.text[start:end]
            owners = self.entities[key]
            if len(owners) == 1:
                original = normalized.original_span(start, end)
                found.append(
                    MentionMatch(
                        next(iter(owners)), text[slice(*original)], *original, "alias", 1.0
                    )
                )
        return found

    def _automaton(self) -> ahocorasick.Automaton:
        automaton = getattr(self, "_built", None)
        if automaton is None:
            automaton = ahocorasick.Automaton()
            for key in self.entities:
                automaton.add_word(key, len(key))
            automaton.make_automaton()
            self._built = automaton
        return automaton


def _word_bounded(automaton: ahocorasick.Automaton, text: str) -> Iterator[tuple[int, int]]:
    for last, length in automaton.iter_long(text):
        start, end = last + 1 - length, last + 1
        if (start == 0 or not text[start - 1].isalnum()) and (
            end == len(text) or not text[end].isalnum()
        ):
            yield start, end


def typed_links(mentions: Iterable[MentionMatch], kinds: dict[str, str]) -> list[TypedLink]:
    return [
        TypedLink(m.start, m.end, KIND_TYPES[kinds[m.entity_id]], m.entity_id, m.surface)
        for m in mentions
        if kinds.get(m.entity_id) in KIND_TYPES
    ]


def _overlaps(a: TypedLink | GoldName, b: GoldName) -> bool:
    return a.start < b.end and b.start < a.end


def score_document(
    document: NerDocument,
    links: Sequence[TypedLink],
    index: AliasIndex,
    counts: TypedCounts,
    untagged_right: frozenset[tuple[str, str]] = frozenset(),
) -> None:
    for link in links:
        hosts = [name for name in document.names if _overlaps(link, name)]
        right = any(
            name.type == link.type
            or (link.type == "place" and name.start <= link.start and link.end <= name.end)
            for name in hosts
        )
        if right:
            counts.right += 1
        elif not hosts and (link.surface, link.entity_id) in untagged_right:
            counts.wrong += 1
            counts.untagged_right += 1
        else:
            counts.wrong += 1
            counts.wrong_links[(link.surface, link.entity_id)] += 1
    for name in document.names:
        surface = document.text[name.start : name.end]
        if name.type not in index.alias_type_of(surface):
            continue
        counts.alias_names += 1
        if any(link.type == name.type and _overlaps(link, name) for link in links):
            counts.alias_names_found += 1
        else:
            counts.missed[surface] += 1


def score_corpus(
    documents: Sequence[NerDocument],
    index: AliasIndex,
    linker: DocumentLinker | None,
    untagged_right: frozenset[tuple[str, str]] = frozenset(),
) -> TypedCounts:
    """Scores of `linker` on `documents`; the exact-alias baseline when `linker` is None.
    `untagged_right`: (surface, entity) pairs judged right on spans the gold leaves untagged."""
    counts = TypedCounts()
    for document in documents:
        if linker is None:
            mentions = index.baseline_links(document.text)
        else:
            runs = [(0, len(document.text), document.language)]
            mentions = linker.link(document.text, runs).mentions
        links = typed_links(mentions, index.kinds)
        score_document(document, links, index, counts, untagged_right)
    return counts


Judgements = dict[tuple[str, str, str | None], bool]  # (surface, entity, word before)
ENGLISH_SENTENCES = ("hezbollah_kwic_en", "english_sentences_hezbollah_kwic.csv")


def load_english_documents(eval_dir: Path, size: int = SENTENCES_PER_DOCUMENT) -> list[str]:
    """The English web sentences, consecutive sentences of one page grouped `size` at a time."""
    documents: list[str] = []
    batch: list[str] = []
    page = None
    with (eval_dir.joinpath(*ENGLISH_SENTENCES)).open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            if batch and (row["url"] != page or len(batch) == size):
                documents.append("\n".join(batch))
                batch = []
            page = row["url"]
            batch.append(" ".join(row["sentence"].split()))
    if batch:
        documents.append("\n".join(batch))
    return documents


@dataclass
class JudgedCounts:
    """Links judged by (surface, entity) pair: a pair is right or wrong wherever it occurs."""

    right: int = 0
    wrong: int = 0
    unjudged: Counter[tuple[str, str]] = field(default_factory=Counter)
    wrong_links: Counter[tuple[str, str]] = field(default_factory=Counter)

    @property
    def precision(self) -> float:
        return self.right / (self.right + self.wrong) if self.right + self.wrong else 1.0


def load_untagged_judgements(path: Path, language: str) -> frozenset[tuple[str, str]]:
    """bench/linking_judged_untagged.yaml: per language, [surface, entity] pairs judged right
    on spans the NER corpus leaves untagged."""
    data = load_yaml(path)
    return frozenset((str(surface), str(entity)) for surface, entity in data.get(language) or ())


def load_judgements(path: Path) -> Judgements:
    """bench/linking_judged_en.yaml: `right` and `wrong` lists of [surface, entity id] or
    [surface, entity id, word before] (a verdict for that context only)."""
    data = load_yaml(path)
    judged: Judgements = {}
    for verdict in ("right", "wrong"):
        for item in data.get(verdict) or ():
            surface, entity_id, *before = map(str, item)
            judged[(surface, entity_id, before[0] if before else None)] = verdict == "right"
    return judged


def _word_before(text: str, start: int) -> str:
    words = text[:start].split()
    return words[-1] if words else ""


def score_judged(
    documents: Sequence[str],
    judgements: Judgements,
    kinds: dict[str, str],
    link: Callable[[str], Iterable[MentionMatch]],
) -> JudgedCounts:
    counts = JudgedCounts()
    for text in documents:
        for mention in typed_links(link(text), kinds):
            pair = (mention.surface, mention.entity_id)
            before = _word_before(text, mention.start)
            verdict = judgements.get((*pair, before), judgements.get((*pair, None)))
            if verdict is None:
                counts.unjudged[pair] += 1
            elif verdict:
                counts.right += 1
            else:
                counts.wrong += 1
                counts.wrong_links[pair] += 1
    return counts
