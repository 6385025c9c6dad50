"""The text of a medium: a PDF's text layer (pypdfium2), OCR for images and for PDF pages
that have no text layer (scans, pages printed as pictures).

Pages are joined with a form feed, so offsets stay simple and a page's text can be found again;
what was read how, and how sure Tesseract was, goes into the document's properties.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from marsad.errors import ExtractionFailed, UnsupportedFormat
from marsad.media.ocr import AUTO, OcrPage, read_image
from marsad.media.sniff import MediumKind

if TYPE_CHECKING:
    from PIL.Image import Image

PAGE_BREAK = "\f"
# Pillow refuses images above this many pixels instead of decompressing a bomb into memory.
MAX_IMAGE_PIXELS = 64_000_000
# A page whose text layer has fewer letters than this is read as a picture (a scan with a
# stray page number, a poster with an invisible watermark).
MIN_TEXT_LAYER_LETTERS = 20
PDF_RENDER_DPI = 300
POINTS_PER_INCH = 72
# Line boxes kept per document: enough for a statement or a magazine's pages, bounded for a
# book-sized PDF.
MAX_LINES_KEPT = 2000


@dataclass(frozen=True)
class MediumOptions:
    ocr_languages: str = AUTO
    max_pages: int = 50
    language_hint: str | None = None


@dataclass
class PageReading:
    number: int  # 1-based
    method: str  # "text layer" | "ocr"
    text: str
    ocr: OcrPage | None = None

    def as_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {"page": self.number, "method": self.method}
        if self.ocr is not None:
            found.update(model=self.ocr.model, confidence=round(self.ocr.confidence, 1))
        return found


@dataclass
class MediumText:
    kind: MediumKind
    text: str
    pages: list[PageReading] = field(default_factory=list)
    page_count: int = 0

    @property
    def title(self) -> str | None:
        line = next((line.strip() for line in self.text.splitlines() if line.strip()), "")
        return line or None

    def properties(self) -> dict[str, Any]:
        """What goes into Document.properties["medium"]: how each page was read, the OCR
        confidence, and each OCR line's offsets, box and confidence."""
        ocr = [page.ocr for page in self.pages if page.ocr is not None and page.ocr.text]
        lines: list[dict[str, Any]] = []
        offset = 0
        for page in self.pages:
            if page.ocr is not None:
                for line in page.ocr.lines:
                    if len(lines) < MAX_LINES_KEPT:
                        lines.append({**line.as_dict(), "page": page.number})
                        lines[-1]["start"] += offset
                        lines[-1]["end"] += offset
            offset += len(page.text) + len(PAGE_BREAK)
        found: dict[str, Any] = {
            "kind": self.kind,
            "pages": self.page_count,
            "read": [page.as_dict() for page in self.pages],
        }
        if ocr:
            words = sum(len(page.text.split()) for page in ocr)
            found["ocr_confidence"] = round(
                sum(page.confidence * len(page.text.split()) for page in ocr) / max(words, 1), 1
            )
            found["ocr_lines"] = lines
        return found


def open_image(data: bytes) -> Image:
    from PIL import Image as PILImage
    from PIL import UnidentifiedImageError

    PILImage.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    try:
        image = PILImage.open(io.BytesIO(data))
        image.load()
    except UnidentifiedImageError:
        # Pillow's message names an in-memory object; the kind of file is what helps a reader.
        raise UnsupportedFormat("a damaged or unreadable image: no decoder recognises it") from None
    except PILImage.DecompressionBombError as exc:
        raise UnsupportedFormat(f"an image too large to read: {exc}") from None
    except (OSError, ValueError) as exc:
        raise UnsupportedFormat(f"a damaged or unreadable image: {exc}") from None
    return image


def _joined(pages: list[PageReading]) -> str:
    return PAGE_BREAK.join(page.text for page in pages)  # unstripped: line offsets hold


def read_image_medium(data: bytes, options: MediumOptions) -> MediumText:
    image = open_image(data)
    page = read_image(image.convert("RGB"), options.ocr_languages, options.language_hint)
    reading = PageReading(1, "ocr", page.text, page)
    return MediumText("image", page.text, [reading], 1)


def _letters(text: str) -> int:
    return sum(char.isalpha() for char in text)


def read_pdf(data: bytes, options: MediumOptions) -> MediumText:
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:
        raise UnsupportedFormat(f"a PDF pdfium cannot open: {exc}") from None
    try:
        count = len(document)
        pages: list[PageReading] = []
        for index in range(min(count, options.max_pages)):
            page = document[index]
            text_page = page.get_textpage()
            text = text_page.get_text_bounded().replace("\r\n", "\n").strip()
            text_page.close()
            if _letters(text) >= MIN_TEXT_LAYER_LETTERS:
                pages.append(PageReading(index + 1, "text layer", text))
            else:
                bitmap = page.render(scale=PDF_RENDER_DPI / POINTS_PER_INCH)
                image = bitmap.to_pil().convert("RGB")
                bitmap.close()
                ocr = read_image(image, options.ocr_languages, options.language_hint)
                pages.append(PageReading(index + 1, "ocr", ocr.text, ocr))
            page.close()
    finally:
        document.close()
    return MediumText("pdf", _joined(pages), pages, count)


def read_medium(data: bytes, kind: MediumKind, options: MediumOptions) -> MediumText:
    """The medium's text; raises ExtractionFailed when no page holds any."""
    medium = read_pdf(data, options) if kind == "pdf" else read_image_medium(data, options)
    if not medium.text.strip():
        raise ExtractionFailed(f"no readable text in the {kind} (text layer and OCR are empty)")
    return medium
