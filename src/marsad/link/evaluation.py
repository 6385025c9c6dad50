"""Scoring the linker on a gold set (tests/link/gold/linking.yaml): precision and recall of
linked mentions and of role relations, per language.

A predicted mention is right when the gold item names the same entity on an overlapping span
(a clitic or possessive may or may not be inside the span); each gold link is used once.
Relations are compared as (subject, predicate, object) per item.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from marsad.datafiles import load_yaml
from marsad.errors import ConfigError
from marsad.link.aliases import default_variant_generator
from marsad.link.kb import KBEntry, read_kb_file, validate_entries
from marsad.link.linker import DocumentLinker, DocumentLinks
from marsad.link.matcher import AliasMatcher
from marsad.link.store import KnowledgeBaseStore
from marsad.store.models.base import Base
from marsad.text.normalize import default_normalizer


@dataclass(frozen=True)
class GoldLink:
    entity: str
    start: int
    end: int


@dataclass(frozen=True)
class GoldItem:
    id: str
    language: str
    text: str
    links: tuple[GoldLink, ...]
    relations: frozenset[tuple[str, str, str]]


@dataclass
class Counts:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0


def _gold_link(item_id: str, text: str, raw: dict[str, Any]) -> GoldLink:
    surface = str(raw["surface"])
    start = int(raw["at"]) if "at" in raw else text.find(surface)
    if start < 0 or text[start : start + len(surface)] != surface:
        raise ConfigError(f"gold item {item_id}: surface {surface!r} not found in the text")
    return GoldLink(str(raw["entity"]), start, start + len(surface))


def load_gold(path: Path) -> list[GoldItem]:
    data = load_yaml(path)
    items = []
    for raw in data["items"]:
        text = str(raw["text"])
        items.append(
            GoldItem(
                id=str(raw["id"]),
                language=str(raw["language"]),
                text=text,
                links=tuple(_gold_link(str(raw["id"]), text, link) for link in raw["links"]),
                relations=frozenset(
                    (str(r["subject"]), str(r["predicate"]), str(r["object"]))
                    for r in raw["relations"]
                ),
            )
        )
    return items


@contextmanager
def in_memory_kb(entries: list[KBEntry]) -> Iterator[Session]:
    """A private in-memory database holding `entries`, loaded the way the store loads any
    KB (aliases, generated variants, relations)."""
    validate_entries(entries)
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        KnowledgeBaseStore(session, default_normalizer(), default_variant_generator()).sync(entries)
        session.flush()
        yield session


def linker_for_kb_file(path: Path) -> DocumentLinker:
    """A linker over the KB of one file."""
    with in_memory_kb(read_kb_file(path)) as session:
        return DocumentLinker(AliasMatcher.from_session(session, default_normalizer()))


def score_mentions(item: GoldItem, links: DocumentLinks, counts: Counts) -> None:
    unused = list(item.links)
    for mention in links.mentions:
        match = next(
            (
                gold
                for gold in unused
                if gold.entity == mention.entity_id
                and gold.start < mention.end
                and mention.start < gold.end
            ),
            None,
        )
        if match is None:
            counts.false_positives += 1
            counts.errors.append(f"{item.id}: extra {mention.entity_id} {mention.surface!r}")
        else:
            counts.true_positives += 1
            unused.remove(match)
    for gold in unused:
        counts.false_negatives += 1
        surface = item.text[gold.start : gold.end]
        counts.errors.append(f"{item.id}: missed {gold.entity} {surface!r}")


def score_relations(item: GoldItem, links: DocumentLinks, counts: Counts) -> None:
    found = {(r.subject_id, r.predicate, r.object_id) for r in links.relations}
    counts.true_positives += len(found & item.relations)
    counts.false_positives += len(found - item.relations)
    counts.false_negatives += len(item.relations - found)
    counts.errors.extend(f"{item.id}: extra relation {r}" for r in found - item.relations)
    counts.errors.extend(f"{item.id}: missed relation {r}" for r in item.relations - found)


@dataclass
class GoldScores:
    mentions: dict[str, Counts]
    relations: dict[str, Counts]

    def languages(self) -> list[str]:
        return sorted(self.mentions)

    def all_relations(self) -> Counts:
        total = Counts()
        for counts in self.relations.values():
            total.true_positives += counts.true_positives
            total.false_positives += counts.false_positives
            total.false_negatives += counts.false_negatives
        return total


def score_gold(linker: DocumentLinker, items: Iterable[GoldItem]) -> GoldScores:
    mentions: dict[str, Counts] = defaultdict(Counts)
    relations: dict[str, Counts] = defaultdict(Counts)
    for item in items:
        links = linker.link(item.text, [(0, len(item.text), item.language)])
        score_mentions(item, links, mentions[item.language])
        score_relations(item, links, relations[item.language])
    return GoldScores(dict(mentions), dict(relations))


def report_lines(scores: GoldScores, show_errors: Sequence[str] = ()) -> list[str]:
    lines = [f"{'language':<10}{'mentions P':>12}{'R':>8}{'roles P':>12}{'R':>8}"]
    for language in scores.languages():
        m, r = scores.mentions[language], scores.relations[language]
        lines.append(
            f"{language:<10}{m.precision:>12.3f}{m.recall:>8.3f}{r.precision:>12.3f}{r.recall:>8.3f}"
        )
    return lines
