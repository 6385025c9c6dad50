"""Reading media: Marsad's OCR and PDF text against the command-line tools run directly on the
same files, in the same run.

The synthetic statements of tests/media (Arabic, Farsi, Hebrew; header, date line, body) are
rendered --copies times each to a PNG and to a PDF with a text layer, then:
  OCR   marsad auto      `read_medium` with MARSAD_OCR_LANGUAGES=auto (OSD script detection,
                         a first reading, a second one when language identification says so)
        marsad hinted    the same with the document's language hint (one reading)
        baseline         `tesseract FILE - -l <the statement's model>` (told the language)
  PDF   marsad           `read_medium` on the text-layer PDFs (pypdfium2)
        baseline         `pdftotext FILE -` (poppler)
Figures: pages/s and mean character accuracy (1 - normalised Levenshtein distance).

    .venv/bin/python bench/bench_media.py [--copies 3]
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from rapidfuzz.distance import Levenshtein
from tests.media.statements import STATEMENTS, Statement, statement_png, text_layer_pdf

from marsad.media.ocr import ocr_models
from marsad.media.reading import MediumOptions, read_medium

Reader = Callable[[Path, Statement], str]


def accuracy(found: str, expected: str) -> float:
    return 1 - Levenshtein.normalized_distance(" ".join(found.split()), " ".join(expected.split()))


def measure(name: str, files: list[tuple[Path, Statement]], read: Reader) -> None:
    began = time.perf_counter()
    scores = [accuracy(read(path, statement), statement.text) for path, statement in files]
    seconds = time.perf_counter() - began
    print(
        f"{name:<38} {len(files) / seconds:>7.2f} pages/s   "
        f"accuracy {sum(scores) / len(scores):.3f}   ({len(files)} pages, {seconds:.1f} s)"
    )


def marsad_reader(kind: str, hinted: bool) -> Reader:
    def read(path: Path, statement: Statement) -> str:
        options = MediumOptions(language_hint=statement.language if hinted else None)
        return read_medium(path.read_bytes(), kind, options).text  # type: ignore[arg-type]

    return read


def tesseract_cli(path: Path, statement: Statement) -> str:
    model = ocr_models().languages[statement.language]
    command = ["tesseract", str(path), "-", "-l", model]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def pdftotext_cli(path: Path, _statement: Statement) -> str:
    command = ["pdftotext", "-enc", "UTF-8", str(path), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=3, help="renderings of each statement")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        images, pdfs = [], []
        for copy in range(args.copies):
            for statement in STATEMENTS:
                png = Path(folder) / f"{statement.language}-{copy}.png"
                png.write_bytes(statement_png(statement))
                pdf = Path(folder) / f"{statement.language}-{copy}.pdf"
                pdf.write_bytes(text_layer_pdf(statement))
                images.append((png, statement))
                pdfs.append((pdf, statement))
        print("OCR of statement images (1400x520 px)")
        measure("  baseline tesseract CLI (told lang)", images, tesseract_cli)
        measure("  marsad hinted", images, marsad_reader("image", hinted=True))
        measure("  marsad auto", images, marsad_reader("image", hinted=False))
        print("PDF text layer")
        measure("  baseline pdftotext", pdfs, pdftotext_cli)
        measure("  marsad (pypdfium2)", pdfs, marsad_reader("pdf", hinted=False))


if __name__ == "__main__":
    main()
