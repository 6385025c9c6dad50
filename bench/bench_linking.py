"""Entity linking on the linking gold set: precision and recall per language.

Every item of tests/link/gold/linking.yaml (synthetic news sentences in ar, fa, he, en naming
the entities of tests/link/gold/kb.yaml in varied spellings, with distractors and unknown
names) goes through
  baseline  exact, case-folded alias lookup: the KB's own names (no generated variants, no
            clitics, no context, no fuzzy pass, no roles) found as whole words with a
            compiled regular expression
  marsad    the `link` stage's DocumentLinker (aliases and variants, clitic prefixes, context
            for short names, fuzzy Latin pass, roles and bare titles)
Targets: mentions P >= 0.95 and R >= 0.90 per language; roles P/R >= 0.85.

    .venv/bin/python bench/bench_linking.py [--errors]
"""

from __future__ import annotations

import argparse
import re
import time
from pathlib import Path

from marsad.link.evaluation import (
    Counts,
    GoldItem,
    linker_for_kb_file,
    load_gold,
    report_lines,
    score_gold,
)
from marsad.link.kb import read_kb_file

GOLD_DIR = Path(__file__).parents[1] / "tests" / "link" / "gold"


def baseline_scores(items: list[GoldItem]) -> dict[str, Counts]:
    names: dict[str, str] = {}
    for entry in read_kb_file(GOLD_DIR / "kb.yaml"):
        for alias in entry.all_names():
            names.setdefault(alias.name.casefold(), entry.id)
    alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE)
    scores: dict[str, Counts] = {}
    for item in items:
        counts = scores.setdefault(item.language, Counts())
        unused = list(item.links)
        for match in pattern.finditer(item.text):
            entity = names[match.group().casefold()]
            gold = next(
                (
                    g
                    for g in unused
                    if g.entity == entity and g.start < match.end() and match.start() < g.end
                ),
                None,
            )
            if gold is None:
                counts.false_positives += 1
            else:
                counts.true_positives += 1
                unused.remove(gold)
        counts.false_negatives += len(unused)
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list every miss and extra")
    args = parser.parse_args()
    items = load_gold(GOLD_DIR / "linking.yaml")
    print(
        f"{len(items)} gold items, {sum(len(i.links) for i in items)} links, "
        f"{sum(len(i.relations) for i in items)} relations"
    )
    baseline = baseline_scores(items)
    print("\nbaseline (exact KB names, regex)")
    print(f"{'language':<10}{'mentions P':>12}{'R':>8}")
    for language in sorted(baseline):
        counts = baseline[language]
        print(f"{language:<10}{counts.precision:>12.3f}{counts.recall:>8.3f}")
    started = time.perf_counter()
    linker = linker_for_kb_file(GOLD_DIR / "kb.yaml")
    built = time.perf_counter()
    scores = score_gold(linker, items)
    done = time.perf_counter()
    print("\nmarsad (link stage)")
    print("\n".join(report_lines(scores)))
    roles = scores.all_relations()
    print(f"{'all roles':<10}{'':>20}{roles.precision:>12.3f}{roles.recall:>8.3f}")
    print(
        f"\nKB load + automaton {built - started:.2f}s; linking {done - built:.2f}s "
        f"({len(items) / (done - built):.0f} items/s)"
    )
    if args.errors:
        for language in scores.languages():
            for error in scores.mentions[language].errors + scores.relations[language].errors:
                print(error)


if __name__ == "__main__":
    main()
