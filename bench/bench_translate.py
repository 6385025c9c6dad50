"""Gloss translation speed: documents/s for the `gloss` backend over 5,000 generated documents
in Arabic, Farsi, Hebrew and Urdu, against two baselines measured in the same run:
  copy      the text cut into sentences and joined again unchanged (the floor of any
            sentence-aligned translation: segmentation and assembly only)
  lookup    a plain glossary lookup of every word (normalised, clitics not stripped), no
            protection, no sentences, no alignment
  marsad    DocumentTranslator with the gloss backend: sentences per language span, names and
            dates protected and restored (canonical English names, rendered dates), glossary
            terms longest first after clitics, untranslated runs marked, the alignment built
The documents are news-style sentences from each language's glossary vocabulary, words
outside it, KB-style names and dates (their spans given, as the link and dates stages would
store them). Also printed: the share of names and dates found intact in the translations
(must be 1.000) and the share of words each method turned into English.

    .venv/bin/python bench/bench_translate.py [--documents 5000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import random
import re
import time
from collections.abc import Callable

from marsad.store.models import Document
from marsad.text.normalize import default_normalizer
from marsad.text.segment import WORD, default_segmenter
from marsad.translate.gloss import GlossBackend
from marsad.translate.glossary import glossary_for
from marsad.translate.protect import ProtectedSpan
from marsad.translate.render import target_language
from marsad.translate.translator import DocumentTranslator

LANGUAGES = ("ar", "fa", "he", "ur")
NAMES = {
    "ar": [
        ("أكرم الكعبي", "Akram al-Kaabi"),
        ("حركة النجباء", "Harakat Hezbollah al-Nujaba"),
        ("بغداد", "Baghdad"),
        ("قيس الخزعلي", "Qais al-Khazali"),
        ("البصرة", "Basra"),
    ],
    "fa": [
        ("اکرم کعبی", "Akram al-Kaabi"),
        ("جنبش نجباء", "Harakat Hezbollah al-Nujaba"),
        ("تهران", "Tehran"),
        ("بغداد", "Baghdad"),
    ],
    "he": [
        ("אכרם אל-כעבי", "Akram al-Kaabi"),
        ("חמאס", "Hamas"),
        ("עזה", "Gaza"),
        ("ביירות", "Beirut"),
    ],
    "ur": [("لاہور", "Lahore"), ("لشکر طیبہ", "Lashkar-e-Taiba"), ("حافظ سعید", "Hafiz Saeed")],
}
DATES = {
    "ar": ("15 كانون الثاني 2020", "2020-01-15", "day"),
    "fa": ("۱۵ دی ۱۳۹۸", "2020-01-05", "day"),
    "he": ("15 בינואר 2020", "2020-01-15", "day"),
    "ur": ("جنوری 2020", "2020-01", "month"),
}
UNKNOWN = {
    "ar": "زراعة الأشجار المياه الجوفية الطرق الريفية",
    "fa": "کشاورزی درختان آب زیرزمینی جاده روستایی",
    "he": "חקלאות עצים מים תת-קרקעיים כבישים כפריים",
    "ur": "زراعت درخت زیر زمین پانی دیہی سڑکیں",
}
STOP = {"ar": ".", "fa": ".", "he": ".", "ur": "۔"}


def vocabulary(language: str) -> list[str]:
    glossary_file = glossary_for(language)
    assert glossary_file is not None
    # The glossary's single words as written are not kept (keys are normalised), so sample
    # them from the data file's keys through the normalised forms: good enough for timing.
    return [term for term in glossary_file.terms if " " not in term]


class TextBuilder:
    """A generated text and the spans of the names and dates put in it."""

    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.spans: list[ProtectedSpan] = []
        self.position = 0

    def add(self, text: str, rendering: str | None = None) -> None:
        if self.pieces:
            self.pieces.append(" ")
            self.position += 1
        if rendering is not None:
            end = self.position + len(text)
            self.spans.append(ProtectedSpan(self.position, end, rendering, "generated"))
        self.pieces.append(text)
        self.position += len(text)

    def stop(self, mark: str) -> None:
        self.pieces.append(mark)
        self.position += len(mark)

    def text(self) -> str:
        return "".join(self.pieces)


def generate(count: int, seed: int) -> list[tuple[Document, list[ProtectedSpan]]]:
    rng = random.Random(seed)
    english = target_language("en")
    words = {language: vocabulary(language) for language in LANGUAGES}
    documents = []
    for number in range(count):
        language = LANGUAGES[number % len(LANGUAGES)]
        builder = TextBuilder()
        for sentence in range(rng.randint(4, 10)):
            for _ in range(rng.randint(8, 18)):
                roll = rng.random()
                if roll < 0.08:
                    builder.add(*rng.choice(NAMES[language]))
                elif roll < 0.12 and sentence % 2 == 0:
                    expression, value, precision = DATES[language]
                    builder.add(expression, english.render_date(value, precision))
                elif roll < 0.3:
                    builder.add(rng.choice(UNKNOWN[language].split()))
                else:
                    builder.add(rng.choice(words[language]))
            builder.stop(STOP[language])
        document = Document(text=builder.text(), language=language, language_spans=[])
        documents.append((document, builder.spans))
    return documents


def copy_sentences(document: Document) -> str:
    text = document.text or ""
    segmenter = default_segmenter()
    return " ".join(s.text for s in segmenter.sentences(text, document.language))


def plain_lookup(document: Document) -> str:
    glossary_file = glossary_for(document.language or "")
    assert glossary_file is not None
    key = default_normalizer().key
    terms = glossary_file.terms
    return " ".join(
        terms.get(key(match.group()), match.group()) for match in WORD.finditer(document.text or "")
    )


def timed(
    name: str, documents: list[Document], method: Callable[[Document], str], rounds: int
) -> tuple[float, list[str]]:
    best = float("inf")
    outputs: list[str] = []
    for _ in range(rounds):
        started = time.perf_counter()
        outputs = [method(document) for document in documents]
        best = min(best, time.perf_counter() - started)
    return best, outputs


LATIN_WORD = re.compile(r"\b[a-zA-Z][a-zA-Z'-]*\b")


def english_share(outputs: list[str], documents: list[Document]) -> float:
    """Words of English output per source word (names count as their words)."""
    english = sum(len(LATIN_WORD.findall(re.sub(r"⟨[^⟩]*⟩", " ", out))) for out in outputs)
    source = sum(len(WORD.findall(document.text or "")) for document in documents)
    return english / max(source, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    corpus = generate(args.documents, args.seed)
    documents = [document for document, _ in corpus]
    spans_of = {id(document): spans for document, spans in corpus}
    megabytes = sum(len((d.text or "").encode()) for d in documents) / 1e6
    translator = DocumentTranslator(GlossBackend(), target_language("en"))

    def gloss(document: Document) -> str:
        return translator.translate_with_spans(document, spans_of[id(document)]).text

    print(f"{len(documents)} documents ({', '.join(LANGUAGES)}), {megabytes:.1f} MB of text")
    print(f"{'method':<8} {'docs/s':>9} {'MB/s':>7} {'English words per source word':>31}")
    results = {}
    for name, method in (("copy", copy_sentences), ("lookup", plain_lookup), ("marsad", gloss)):
        seconds, outputs = timed(name, documents, method, args.rounds)
        results[name] = outputs
        print(
            f"{name:<8} {len(documents) / seconds:>9.0f} {megabytes / seconds:>7.2f} "
            f"{english_share(outputs, documents):>31.2f}"
        )
    expected = [s.rendering for _, spans in corpus for s in spans]
    for name in ("lookup", "marsad"):
        intact = sum(
            output.count(rendering) >= 1
            for (document, spans), output in zip(corpus, results[name], strict=True)
            for rendering in {s.rendering for s in spans}
        )
        total = sum(len({s.rendering for s in spans}) for _, spans in corpus)
        print(f"names and dates intact ({name}): {intact / max(total, 1):.3f} of {total}")
    assert expected, "the generated corpus has names and dates"


if __name__ == "__main__":
    main()
