"""A generated corpus of known stories with their copies, and the scores of a grouping.

Each story is one report (5-7 sentences filled from the langid gold templates of its language,
tests/text/gold/langid_templates.yaml — synthetic, neutral news) published on one day; its
copies are what channels and mirror sites do with it, published later the same day or in the
next days: an exact repost, a repost wrapped in an emoji headline, a channel signature, a
hashtag and a tracking link, an edited repost (one sentence dropped, or one added), and an
excerpt of half the text (not a near-duplicate: it is a different, shorter text). Seeded.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from marsad.config import Settings
from marsad.link.kb import read_kb_file
from marsad.pipeline.ingest import Ingestor
from marsad.workspace import Workspace
from tests.knowledge import sync_entries

TEMPLATES = Path(__file__).parents[1] / "text" / "gold" / "langid_templates.yaml"
LANGUAGES = ("ar", "fa", "he", "en")
SLOT = re.compile(r"\{(\w+)\}")
EMOJI = ("🔴", "📌", "⚡️", "📢", "🚨")
DIGITS = {"ascii": "0123456789", "arabic": "٠١٢٣٤٥٦٧٨٩", "persian": "۰۱۲۳۴۵۶۷۸۹"}
START = datetime(2026, 1, 5, 6, 0)
# Copy kinds, how often each is drawn, and whether it is a near-duplicate of the original.
COPY_KINDS = {"exact": 3, "wrapped": 4, "edited": 3, "excerpt": 1}
NEAR_DUPLICATE_KINDS = {"original", "exact", "wrapped", "edited"}


@dataclass(frozen=True)
class GoldDocument:
    name: str
    language: str
    story: int
    kind: str  # original, or one of COPY_KINDS
    published: datetime
    text: str

    @property
    def group(self) -> tuple[int, str]:
        """Its near-duplicate group: the story's copies, or the story's excerpts."""
        return (self.story, "" if self.kind in NEAR_DUPLICATE_KINDS else self.kind)

    def html(self) -> str:
        paragraphs = "".join(f"<p>{line}</p>" for line in self.text.split("\n") if line)
        stamp = self.published.strftime("%Y-%m-%dT%H:%M:%S+00:00")
        return (
            f'<html><head><meta property="article:published_time" content="{stamp}">'
            f"<title>{self.name}</title></head><body><article>{paragraphs}</article></body></html>"
        )


class StoryWriter:
    def __init__(self, kit: dict[str, Any], rng: random.Random) -> None:
        self.kit, self.rng = kit, rng

    def sentence(self, template: str, chosen: dict[str, str], digits: str) -> str:
        def value(match: re.Match[str]) -> str:
            slot = match.group(1)
            if slot == "n":
                number = str(self.rng.choice(self.kit["slots"]["n"]))
                return number.translate(str.maketrans("0123456789", digits))
            if slot not in chosen:
                chosen[slot] = self.rng.choice(self.kit["slots"][slot])
            return chosen[slot]

        return SLOT.sub(value, template)

    def report(self) -> list[str]:
        """5-7 sentences sharing a city, person, organisation and day (one happening)."""
        chosen: dict[str, str] = {}
        digits = DIGITS[self.rng.choice(self.kit["digits"])]
        templates = self.rng.sample(self.kit["sentences"], self.rng.randint(5, 7))
        return [self.sentence(template, chosen, digits) for template in templates]

    def copy(self, kind: str, sentences: list[str], language: str) -> str:
        rng = self.rng
        if kind == "exact":
            return " ".join(sentences)
        if kind == "wrapped":
            headline = self.sentence(rng.choice(self.kit["posts"]), {}, DIGITS["ascii"])
            channel = f"@example_{language}_{rng.randint(1, 40)}"
            link = f"https://t.me/example_{language}/{rng.randint(100, 99999)}?utm_source=share"
            return f"{rng.choice(EMOJI)} {headline}\n{' '.join(sentences)}\n{channel} {link}"
        if kind == "edited":
            edited = list(sentences)
            if rng.random() < 0.5:
                del edited[rng.randrange(len(edited))]
            else:
                extra = self.sentence(rng.choice(self.kit["sentences"]), {}, DIGITS["ascii"])
                edited.insert(rng.randrange(len(edited) + 1), extra)
            return " ".join(edited)
        if kind == "excerpt":
            return " ".join(sentences[: len(sentences) // 2])
        raise ValueError(f"unknown copy kind {kind!r}")


def story_corpus(stories: int, seed: int = 20261125) -> list[GoldDocument]:
    """`stories` stories across LANGUAGES; about 3 documents per story on average."""
    kits = yaml.safe_load(TEMPLATES.read_text(encoding="utf-8"))["languages"]
    rng = random.Random(seed)
    writers = {language: StoryWriter(kits[language], rng) for language in LANGUAGES}
    kinds, weights = list(COPY_KINDS), list(COPY_KINDS.values())
    documents: list[GoldDocument] = []
    for story in range(stories):
        language = LANGUAGES[story % len(LANGUAGES)]
        writer = writers[language]
        sentences = writer.report()
        published = START + timedelta(hours=rng.randint(0, 24 * 300))
        name = f"s{story:05}-0-original-{language}"
        documents.append(
            GoldDocument(name, language, story, "original", published, " ".join(sentences))
        )
        for number in range(1, rng.choice((0, 1, 2, 2, 3, 4, 5)) + 1):
            kind = rng.choices(kinds, weights)[0]
            later = published + timedelta(minutes=rng.randint(20, 3 * 24 * 60))
            text = writer.copy(kind, sentences, language)
            name = f"s{story:05}-{number}-{kind}-{language}"
            documents.append(GoldDocument(name, language, story, kind, later, text))
    return documents


LEADS = Path(__file__).parent / "gold" / "story_leads.yaml"
GOLD_KB = Path(__file__).parents[1] / "link" / "gold" / "kb.yaml"


def _names(language: str) -> tuple[list[str], list[str]]:
    """Persons and organisations of the linking gold KB, spelt in `language`."""
    entries = yaml.safe_load(GOLD_KB.read_text(encoding="utf-8"))["entities"]
    persons, organisations = [], []
    for entry in entries:
        spelt = entry["name"] if language == "en" else entry["aliases"].get(language, [None])[0]
        if spelt:
            (persons if entry.get("kind") == "person" else organisations).append(spelt)
    return persons, organisations


def multilingual_corpus(stories: int, seed: int = 20261126) -> list[GoldDocument]:
    """Stories told in 1-4 of LANGUAGES (the same person and organisations named in each
    language's spelling, published up to two days apart), each version with 0-2 reposts."""
    kits = yaml.safe_load(TEMPLATES.read_text(encoding="utf-8"))["languages"]
    leads = yaml.safe_load(LEADS.read_text(encoding="utf-8"))
    rng = random.Random(seed)
    writers = {language: StoryWriter(kits[language], rng) for language in LANGUAGES}
    names = {language: _names(language) for language in LANGUAGES}
    documents: list[GoldDocument] = []
    for story in range(stories):
        happening = rng.choice(sorted(leads))
        person = rng.randrange(len(names["en"][0]))
        org, partner = rng.sample(range(len(names["en"][1])), 2)
        published = START + timedelta(hours=rng.randint(0, 24 * 300))
        languages = rng.sample(LANGUAGES, rng.choice((1, 2, 2, 3, 4)))
        for version, language in enumerate(languages):
            persons, organisations = names[language]
            lead = leads[happening][language].format(
                person=persons[person], org=organisations[org], partner=organisations[partner]
            )
            writer = writers[language]
            sentences = [lead, *writer.report()[:4]]
            when = published + timedelta(minutes=rng.randint(0, 2 * 24 * 60) if version else 0)
            name = f"m{story:05}-{language}-0"
            documents.append(
                GoldDocument(name, language, story, "original", when, " ".join(sentences))
            )
            for number in range(1, rng.choice((0, 0, 1, 2)) + 1):
                kind = rng.choice(("exact", "wrapped"))
                later = when + timedelta(minutes=rng.randint(20, 2 * 24 * 60))
                text = writer.copy(kind, sentences, language)
                documents.append(
                    GoldDocument(
                        f"m{story:05}-{language}-{number}", language, story, kind, later, text
                    )
                )
    return documents


def pairs_of(groups: dict[str, Hashable]) -> set[tuple[str, str]]:
    members: dict[Hashable, list[str]] = defaultdict(list)
    for name, group in groups.items():
        members[group].append(name)
    return {(a, b) for names in members.values() for a in names for b in names if a < b}


def pairwise(gold: dict[str, Hashable], found: dict[str, Hashable]) -> tuple[float, float, float]:
    expected, predicted = pairs_of(gold), pairs_of(found)
    right = len(expected & predicted)
    precision = right / len(predicted) if predicted else 1.0
    recall = right / len(expected) if expected else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def b_cubed(gold: dict[str, Hashable], found: dict[str, Hashable]) -> float:
    gold_members: dict[Hashable, set[str]] = defaultdict(set)
    found_members: dict[Hashable, set[str]] = defaultdict(set)
    for name in gold:
        gold_members[gold[name]].add(name)
        found_members[found[name]].add(name)
    precision = recall = 0.0
    for name in gold:
        mine, truth = found_members[found[name]], gold_members[gold[name]]
        shared = len(mine & truth)
        precision += shared / len(mine)
        recall += shared / len(truth)
    precision, recall = precision / len(gold), recall / len(gold)
    return 2 * precision * recall / (precision + recall)


def ingest_in_crawl_order(
    corpus: list[GoldDocument],
    root: Path,
    prepare: Callable[[Workspace], None] | None = None,
    database_url: str | None = None,
) -> Workspace:
    """The corpus ingested into a fresh home under `root` (on `database_url`, SQLite in the
    home by default) in the order a crawler would have seen it (each copy up to six hours
    after its publication); `prepare` runs first."""
    rng = random.Random(7)
    seen_at = {doc.name: doc.published + timedelta(minutes=rng.randint(0, 360)) for doc in corpus}
    folder = root / "pages"
    folder.mkdir()
    paths = []
    for doc in sorted(corpus, key=lambda d: seen_at[d.name]):
        path = folder / f"{doc.name}.html"
        path.write_text(doc.html(), encoding="utf-8")
        paths.append(str(path))
    env = {"MARSAD_HOME": str(root / "home"), "MARSAD_DATABASE_URL": database_url or ""}
    workspace, _, _ = Workspace.initialise(Settings.from_env(env))
    if prepare is not None:
        prepare(workspace)
    summary = Ingestor(workspace).ingest(paths)
    if summary.pipeline.failed or summary.failed_captures:
        raise AssertionError(f"unexpected failures: {summary.pipeline.failures[:3]}")
    return workspace


def load_gold_kb(workspace: Workspace) -> None:
    """The linking gold KB, whose names the multilingual stories use, into the workspace."""
    sync_entries(workspace, read_kb_file(GOLD_KB))
