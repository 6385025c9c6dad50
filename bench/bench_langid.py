"""Language identification: Marsad's detector against bare py3langid, on the langid gold set.

Every snippet of tests/text/gold/langid.yaml (ar, fa, ur, he, en, ps, ckb) goes through
  baseline  py3langid's LanguageIdentifier.classify(text), restricted with set_languages() to
            the gold set's languages; py3langid has no Central Kurdish (ckb) label, so its two
            Kurdish labels, sdh (Southern Kurdish, Arabic script) and ku, count as ckb
  bare      py3langid as it ships, all 97 languages (what a tool without Marsad's language
            knowledge would answer; same label mapping)
  marsad    LanguageDetector.detect(text).language (py3langid + the marker letters of
            lexicons/<lang>/langid.yaml), not restricted: it may answer any language it knows
Scores: accuracy per language and overall, for all snippets and split into short (<= 15 words,
Telegram-post-like) and long; a confusion matrix per system (rows: gold, columns: answer).
Speed is snippets per second over the whole set (repeated --rounds times).

Third-party sections (when ../shared/eval is present; rows as tests/text/thirdparty.py reads
them): lingua-py's test sets (sentences, word pairs, single words in ar fa ur he en fr) and
KurdishLID + UD Pashto lines, each row's accuracy for
  marsad        LanguageDetector.detect(text).language
  py3 restr.    py3langid restricted to the row set's languages (+ ps, sdh, ku on ku_ps)
  py3 bare      py3langid with all its languages
  lingua        lingua-language-detector restricted to the set's languages it knows (no
                Pashto, no Kurdish in lingua), high-accuracy mode
The same figures are the score gates of tests/text/test_thirdparty_langid.py.

    .venv/bin/python bench/bench_langid.py [--rounds 3] [--no-gold] [--no-lingua]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from marsad.text.langid import LanguageDetector

sys.path.insert(0, str(Path(__file__).parents[1]))  # the third-party readers live in tests/
from tests.text import thirdparty

GOLD = Path(__file__).parents[1] / "tests" / "text" / "gold" / "langid.yaml"
SHORT_WORDS = 15
BASELINE_LABELS = {"ar": "ar", "fa": "fa", "ur": "ur", "he": "he", "en": "en", "ps": "ps"}
BASELINE_LABELS |= {"sdh": "ckb", "ku": "ckb"}


def load_items() -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = yaml.safe_load(GOLD.read_text(encoding="utf-8"))["items"]
    return items


def timed(run: Callable[[], list[str]], rounds: int) -> tuple[list[str], float]:
    began = time.perf_counter()
    for _ in range(rounds):
        answers = run()
    return answers, time.perf_counter() - began


def accuracy_table(items: list[dict[str, Any]], answers: dict[str, list[str]]) -> None:
    """Accuracy per language (rows) for each system, on all / short / long snippets."""
    groups: dict[str, list[int]] = {"all": [], "short": [], "long": []}
    for index, item in enumerate(items):
        groups["all"].append(index)
        groups["short" if len(item["text"].split()) <= SHORT_WORDS else "long"].append(index)
    languages = sorted({item["language"] for item in items})
    columns = [(system, group) for group in groups for system in answers]
    print(f"{'language':<10}" + "".join(f"{f'{s} {g}':>17}" for s, g in columns))
    for key in [*languages, "overall"]:
        cells = []
        for system, group in columns:
            chosen = [i for i in groups[group] if key in ("overall", items[i]["language"])]
            right = sum(answers[system][i] == items[i]["language"] for i in chosen)
            cells.append(f"{right / len(chosen):>9.1%} ({len(chosen):>4})" if chosen else "-")
        print(f"{key:<10}" + "".join(f"{cell:>17}" for cell in cells))


def confusion_matrix(items: list[dict[str, Any]], answers: list[str], system: str) -> None:
    languages = sorted({item["language"] for item in items})
    pairs = Counter((item["language"], answer) for item, answer in zip(items, answers, strict=True))
    others = sorted({answer for _, answer in pairs} - set(languages))
    columns = [*languages, *others]
    print(f"\nconfusion matrix, {system} (rows: gold, columns: answer)")
    print(f"{'':<6}" + "".join(f"{column:>6}" for column in columns))
    for gold in languages:
        print(f"{gold:<6}" + "".join(f"{pairs[gold, column] or '.':>6}" for column in columns))


LINGUA_NAMES = {"ar": "ARABIC", "fa": "PERSIAN", "ur": "URDU", "he": "HEBREW", "en": "ENGLISH"}
LINGUA_NAMES |= {"fr": "FRENCH"}


def lingua_classifier(codes: list[str]) -> Callable[[str], str] | None:
    """lingua restricted to `codes` (those it knows), or None when it is not installed."""
    try:
        from lingua import Language, LanguageDetectorBuilder
    except ImportError:
        return None
    languages = [getattr(Language, LINGUA_NAMES[code]) for code in codes if code in LINGUA_NAMES]
    detector = LanguageDetectorBuilder.from_languages(*languages).build()
    by_name = {name: code for code, name in LINGUA_NAMES.items()}

    def classify(text: str) -> str:
        language = detector.detect_language_of(text)
        return by_name.get(language.name, "und") if language is not None else "und"

    return classify


def py3langid_classifier(codes: list[str] | None) -> Callable[[str], str]:
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    if codes is not None:
        identifier.set_languages(codes)
    return lambda text: str(identifier.classify(text)[0])


def thirdparty_table(title: str, rows: list[thirdparty.LangidRow], codes: list[str]) -> None:
    """Accuracy per row for Marsad and each baseline, with the seconds each took."""
    detector = LanguageDetector.from_data()
    systems: dict[str, Callable[[str], str]] = {
        "marsad": lambda text: detector.detect(text).language,
        "py3 restr.": py3langid_classifier(codes),
        "py3 bare": py3langid_classifier(None),
    }
    lingua = lingua_classifier(codes) if "--no-lingua" not in sys.argv else None
    if lingua is not None:
        systems["lingua"] = lingua
    print(f"\n{title}")
    print(f"{'row':<28}{'items':>6}" + "".join(f"{name:>12}" for name in systems))
    seconds = dict.fromkeys(systems, 0.0)
    for row in rows:
        cells = []
        for name, classify in systems.items():
            began = time.perf_counter()
            right = sum(classify(text) in row.right for text in row.texts)
            seconds[name] += time.perf_counter() - began
            cells.append(f"{right / len(row.texts):>12.3f}")
        print(f"{row.name:<28}{len(row.texts):>6}" + "".join(cells))
    print(f"{'seconds':<34}" + "".join(f"{seconds[name]:>12.2f}" for name in systems))


def thirdparty_sections() -> None:
    if not thirdparty.available():
        print(f"\nthird-party sections skipped: {thirdparty.MISSING_REASON}")
        return
    thirdparty_table(
        "lingua-py test sets (../shared/eval/langid_lingua), accuracy",
        thirdparty.lingua_rows(),
        list(thirdparty.LINGUA_LANGUAGES),
    )
    thirdparty_table(
        "KurdishLID + UD Pashto (../shared/eval/langid_ku_ps), accuracy; Kurdish rows: any "
        "Kurdish label",
        thirdparty.ku_ps_rows(),
        ["ar", "fa", "ur", "ps", "sdh", "ku"],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-gold", action="store_true", help="third-party sections only")
    parser.add_argument("--no-lingua", action="store_true", help="leave lingua out")
    args = parser.parse_args()
    if args.no_gold:
        thirdparty_sections()
        return
    items = load_items()
    texts = [item["text"] for item in items]
    detector = LanguageDetector.from_data()
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(BASELINE_LABELS))
    bare_identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    # Warm both sides (first calls build caches) so neither pays start-up in the timing.
    detector.detect(texts[0])
    identifier.classify(texts[0])

    def run_marsad() -> list[str]:
        return [detector.detect(text).language for text in texts]

    def labels_of(chosen: LanguageIdentifier) -> list[str]:
        labels = (chosen.classify(text)[0] for text in texts)
        return [BASELINE_LABELS.get(label, label) for label in labels]

    marsad, marsad_seconds = timed(run_marsad, args.rounds)
    baseline, baseline_seconds = timed(lambda: labels_of(identifier), args.rounds)
    bare = labels_of(bare_identifier)

    short = sum(len(text.split()) <= SHORT_WORDS for text in texts)
    print(
        f"gold set: {len(items)} snippets ({short} short, <= {SHORT_WORDS} words) "
        f"from {GOLD.relative_to(GOLD.parents[3])}"
    )
    accuracy_table(items, {"marsad": marsad, "py3langid": baseline, "bare": bare})
    confusion_matrix(items, marsad, "marsad")
    confusion_matrix(items, bare, "bare py3langid, all its languages")
    confusion_matrix(items, baseline, "py3langid restricted to the gold languages")
    snippets = len(items) * args.rounds
    print(
        f"\nspeed: marsad {snippets / marsad_seconds:,.0f} snippets/s, "
        f"py3langid {snippets / baseline_seconds:,.0f} snippets/s "
        f"({marsad_seconds / baseline_seconds:.1f}x the baseline's time)"
    )
    print(
        "note: py3langid has no ckb label; its sdh and ku answers count as ckb. Marsad is not "
        "restricted to the gold languages (any other answer is an error)."
    )
    thirdparty_sections()


if __name__ == "__main__":
    main()
