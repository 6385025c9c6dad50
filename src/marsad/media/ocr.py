"""Text of an image through Tesseract (Debian's `tesseract` command, via pytesseract).

pytesseract rather than tesserocr: tesserocr's wheel bundles its own Tesseract (5.5), which on
our Arabic statement lost two lines of five (character accuracy 0.66 against 1.0 for Debian's
5.3 on the same image); built from source against Debian's library it matched the command's
accuracy and was 15-40 % faster per page, at the price of a compiler and headers in every
install. bench/bench_media.py measures what the command costs.

The text is rebuilt from Tesseract's TSV (words in reading order, right-to-left lines too), so
each line's offsets into the text, its box in the image and its confidence are exact.
"""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from marsad.datafiles import DATA_DIR, load_yaml
from marsad.errors import ConfigError, ExtractionFailed

if TYPE_CHECKING:
    from PIL.Image import Image

log = logging.getLogger(__name__)

AUTO = "auto"
WORD_LEVEL = "5"
# Tesseract gives -1 for structure rows; words it is unsure of may still come with 0.
NO_CONFIDENCE = -1.0
# How sure language identification must be of a first reading's language to read it again
# with that language's own model.
REFINE_MIN_CONFIDENCE = 0.5


@dataclass(frozen=True)
class OcrLine:
    start: int  # offsets into the page's text
    end: int
    confidence: float  # mean of its words' confidences, 0-100
    box: tuple[int, int, int, int]  # left, top, width, height in the image's pixels

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "confidence": round(self.confidence, 1),
            "box": list(self.box),
        }


@dataclass(frozen=True)
class OcrPage:
    text: str
    confidence: float  # mean word confidence, 0-100 (0 when no word was read)
    model: str  # the Tesseract model(s) that read it, e.g. "fas"
    lines: tuple[OcrLine, ...] = field(default=())


@dataclass(frozen=True)
class OcrModels:
    languages: dict[str, str]
    scripts: dict[str, str]
    fallback: str

    def for_language(self, code: str | None) -> str | None:
        return self.languages.get((code or "").split("-")[0].lower())


@cache
def ocr_models() -> OcrModels:
    data = load_yaml(DATA_DIR / "ocr.yaml")
    try:
        return OcrModels(dict(data["languages"]), dict(data["scripts"]), str(data["fallback"]))
    except (KeyError, TypeError) as exc:
        raise ConfigError(f"malformed data file {DATA_DIR / 'ocr.yaml'}: {exc}") from None


def parse_ocr_languages(raw: str) -> str:
    """`auto`, or Tesseract model names joined with '+' (`ara+eng`)."""
    value = raw.strip()
    if value.lower() == AUTO:
        return AUTO
    models = value.split("+")
    if not all(model.isascii() and model.replace("_", "").isalnum() for model in models):
        raise ValueError(f"expected 'auto' or Tesseract models such as ara+eng, got {raw!r}")
    return value


def _tesseract_data(image: Image, model: str) -> str:
    import pytesseract

    try:
        return str(pytesseract.image_to_data(image, lang=model))
    except pytesseract.TesseractNotFoundError:
        raise ExtractionFailed(
            "Tesseract is not installed (Debian: apt-get install tesseract-ocr "
            "tesseract-ocr-ara tesseract-ocr-fas tesseract-ocr-heb tesseract-ocr-urd)"
        ) from None
    except pytesseract.TesseractError as exc:
        raise ExtractionFailed(f"Tesseract could not read the image ({model}): {exc}") from None


def page_from_tsv(tsv: str, model: str) -> OcrPage:
    """Lines of words in reading order; a blank line between Tesseract's blocks."""
    parts: list[str] = []
    lines: list[OcrLine] = []
    confidences: list[float] = []
    current: tuple[str, ...] | None = None
    block: str | None = None
    words: list[tuple[str, float, tuple[int, int, int, int]]] = []

    def close_line() -> None:
        if not words:
            return
        if parts:
            parts.append("\n")
        start = sum(map(len, parts))
        text = " ".join(word for word, _conf, _box in words)
        parts.append(text)
        left = min(box[0] for _w, _c, box in words)
        top = min(box[1] for _w, _c, box in words)
        right = max(box[0] + box[2] for _w, _c, box in words)
        bottom = max(box[1] + box[3] for _w, _c, box in words)
        mean = sum(conf for _w, conf, _b in words) / len(words)
        lines.append(
            OcrLine(start, start + len(text), mean, (left, top, right - left, bottom - top))
        )
        words.clear()

    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        word = (row.get("text") or "").strip()
        if row.get("level") != WORD_LEVEL or not word:
            continue
        key = (row["page_num"], row["block_num"], row["par_num"], row["line_num"])
        if key != current:
            close_line()
            if block is not None and row["block_num"] != block and parts:
                parts.append("\n")
            current, block = key, row["block_num"]
        confidence = max(float(row.get("conf") or NO_CONFIDENCE), 0.0)
        box = tuple(int(row[name]) for name in ("left", "top", "width", "height"))
        words.append((word, confidence, (box[0], box[1], box[2], box[3])))
        confidences.append(confidence)
    close_line()
    mean = sum(confidences) / len(confidences) if confidences else 0.0
    return OcrPage("".join(parts), mean, model, tuple(lines))


def recognise(image: Image, model: str) -> OcrPage:
    return page_from_tsv(_tesseract_data(image, model), model)


def detect_script(image: Image) -> str | None:
    """The script Tesseract's OSD sees ('Arabic', 'Hebrew', 'Latin' ...); None when it has
    too few letters to tell."""
    import pytesseract

    try:
        osd = pytesseract.image_to_osd(image, output_type=pytesseract.Output.DICT)
    except pytesseract.TesseractError as exc:
        log.debug("no script detected: %s", exc)
        return None
    script = osd.get("script")
    return str(script) if script else None


def _language_of(text: str) -> str | None:
    """The text's language when language identification is sure enough of it."""
    from marsad.text.langid import shared_detector

    guess = shared_detector().detect(text)
    return guess.language if guess.confidence >= REFINE_MIN_CONFIDENCE else None


def read_image(image: Image, languages: str = AUTO, hint: str | None = None) -> OcrPage:
    """OCR of one image. `languages` is `auto` or Tesseract models (`ara+eng`); with `auto`
    the models come from the language hint, else from the detected script, then from the
    language identified in that first reading (Farsi read with the Arabic model is read again
    with the Farsi one)."""
    if languages != AUTO:
        return recognise(image, languages)
    models = ocr_models()
    hinted = models.for_language(hint)
    if hinted is not None:
        return recognise(image, hinted)
    script = detect_script(image)
    first = recognise(image, models.scripts.get(script or "", models.fallback))
    refined = models.for_language(_language_of(first.text)) if first.text else None
    if refined is None or refined == first.model:
        return first
    return recognise(image, refined)
