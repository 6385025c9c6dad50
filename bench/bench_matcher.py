"""Alias matching speed: Marsad's Aho-Corasick matcher against a compiled regex alternation.

100,000 generated aliases (Arabic-script person and organisation names built from common name
parts) and generated Arabic news-style text with some of them in it (about one per 30
words), clitics attached. Both run on one core over the same text:
  baseline  one compiled regular expression, every alias escaped in a longest-first
            alternation with word boundaries, over the normalised text (the usual hand-written
            approach); run on the first documents (--baseline-kilobytes), since it is slow
  marsad    AliasMatcher.find_mentions: normalisation with offsets, the automaton, word
            boundaries and clitic prefixes, longest match, context resolution
Throughput is megabytes of UTF-8 text per second, best of --rounds, by the wall clock and by
CPU time (the machine may be shared; target: >= 20 MB/s for marsad). On the sample they share,
every baseline match should be among marsad's mentions (which also include clitic forms).

    .venv/bin/python bench/bench_matcher.py [--aliases 100000] [--megabytes 4]
"""

from __future__ import annotations

import argparse
import random
import re
import time

from marsad.link.matcher import AliasMatcher, KnownName
from marsad.text.normalize import default_normalizer


def words(text: str) -> list[str]:
    return text.split()


FIRST = words(
    "محمد أحمد علي حسن حسين عباس جعفر كاظم مهدي صادق باقر رضا هادي عمار ياسر زيد "
    "سعد قاسم نعيم أكرم قيس زياد إسماعيل يحيى خالد سامي كريم وليد عادل فاضل جواد"
)
FAMILY = words(
    "الكعبي الخزعلي النخالة الموسوي الحسيني العامري الساعدي الجبوري الدليمي التميمي "
    "الزبيدي الربيعي الشمري العبيدي الكناني الخفاجي الحلي البصري النجفي الكربلائي "
    "الأسدي المالكي الجنابي الطائي"
)
ORG_HEAD = words("حركة كتائب سرايا لواء عصائب جماعة حزب فيلق منظمة تجمع")
ORG_TAIL = words(
    "النصر الفتح الوعد الحق الشهداء المقاومة الإمام الكرامة العهد الثأر الصمود النور البدر الفجر"
)
FILLER = words(
    "قال أعلن أكد في من إلى على عن بيان يوم الاثنين الثلاثاء الأربعاء المدينة الحكومة "
    "المحافظة الاجتماع الوفد المسؤولين اللجنة المشروع الطريق الماء الكهرباء السوق الأسعار "
    "المدرسة المستشفى الأهالي الشتاء الصيف الحفل الزيارة الرسمية الأسبوع المقبل الماضي وقال "
    "وأضاف مؤكدا أن هذا بعد قبل خلال حول بين"
)
CLITICS = ["", "", "", "و", "ل", "ب"]
# Sentences with a KB name in them: about one name per 30 words, as in news about these groups.
NAME_SHARE = 0.4


def generated_aliases(count: int, rng: random.Random) -> list[KnownName]:
    names: dict[str, KnownName] = {}
    while len(names) < count:
        number = len(names)
        if rng.random() < 0.7:
            parts = [rng.choice(FIRST), rng.choice(FIRST), rng.choice(FAMILY)]
            name = " ".join(parts[: rng.choice((2, 3))] if rng.random() < 0.5 else parts)
            name = f"{name} {rng.choice(FAMILY)}" if name in names else name
            kind = "person"
        else:
            name = f"{rng.choice(ORG_HEAD)} {rng.choice(ORG_TAIL)} {rng.choice(ORG_TAIL)}"
            name = f"{name} {number}" if name in names else name
            kind = "organization"
        names.setdefault(name, KnownName(f"e{number}", kind, name, "Arab"))
    return list(names.values())


def generated_documents(
    aliases: list[KnownName], megabytes: float, rng: random.Random
) -> list[str]:
    """Articles of 2-20 kB, the way the `link` stage sees text: one document at a time."""
    documents: list[str] = []
    lines: list[str] = []
    size = document_size = 0
    target = int(megabytes * 1_000_000)
    wanted = rng.randint(2_000, 20_000)
    while size < target:
        sentence = [rng.choice(FILLER) for _ in range(rng.randint(8, 16))]
        if rng.random() < NAME_SHARE:
            name = rng.choice(CLITICS) + rng.choice(aliases).name
            sentence.insert(rng.randrange(len(sentence)), name)
        line = " ".join(sentence) + "."
        lines.append(line)
        size += len(line.encode()) + 1
        document_size += len(line.encode()) + 1
        if document_size >= wanted:
            documents.append("\n".join(lines))
            lines, document_size, wanted = [], 0, rng.randint(2_000, 20_000)
    if lines:
        documents.append("\n".join(lines))
    return documents


def regex_baseline(aliases: list[KnownName]) -> re.Pattern[str]:
    normalizer = default_normalizer()
    keys = sorted({normalizer.key(a.name) for a in aliases}, key=len, reverse=True)
    return re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, keys))})(?!\w)")


def megabytes(texts: list[str]) -> float:
    return sum(len(text.encode()) for text in texts) / 1_000_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aliases", type=int, default=100_000)
    parser.add_argument("--megabytes", type=float, default=4.0)
    parser.add_argument("--baseline-kilobytes", type=float, default=20.0)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(20240601)
    aliases = generated_aliases(args.aliases, rng)
    documents = generated_documents(aliases, args.megabytes, rng)
    size = megabytes(documents)
    print(f"{len(aliases)} aliases; {len(documents)} documents, {size:.1f} MB of Arabic text")

    started = time.perf_counter()
    matcher = AliasMatcher(aliases)
    print(f"marsad: automaton built in {time.perf_counter() - started:.1f}s")
    matcher.find_mentions(documents[0])  # warm the normalisation table
    best_wall = best_cpu = float("inf")
    for _ in range(args.rounds):
        started, cpu_started = time.perf_counter(), time.process_time()
        found = sum(len(matcher.find_mentions(document)) for document in documents)
        best_wall = min(best_wall, time.perf_counter() - started)
        best_cpu = min(best_cpu, time.process_time() - cpu_started)
    print(
        f"marsad: {found} mentions; best of {args.rounds}: {best_wall:.2f}s = "
        f"{size / best_wall:.1f} MB/s (CPU time {best_cpu:.2f}s = {size / best_cpu:.1f} MB/s)"
    )

    started = time.perf_counter()
    pattern = regex_baseline(aliases)
    print(f"baseline: regex compiled in {time.perf_counter() - started:.1f}s")
    sample: list[str] = []
    while megabytes(sample) * 1000 < args.baseline_kilobytes:
        sample.append(documents[len(sample)])
    normalizer = default_normalizer()
    started = time.perf_counter()
    spans = [
        {m.span() for m in pattern.finditer(normalizer.normalize(document).text)}
        for document in sample
    ]
    seconds = time.perf_counter() - started
    print(
        f"baseline: {sum(map(len, spans))} matches in {seconds:.2f}s on "
        f"{megabytes(sample) * 1000:.0f} kB = {megabytes(sample) / seconds:.4f} MB/s"
    )
    ours = [{(m.start, m.end) for m in matcher.find_mentions(d)} for d in sample]
    agreed = sum(len(theirs & mine) for theirs, mine in zip(spans, ours, strict=True))
    print(
        f"on the shared sample: marsad {sum(map(len, ours))} mentions, baseline "
        f"{sum(map(len, spans))} (no clitics), {agreed} of them found by both"
    )


if __name__ == "__main__":
    main()
