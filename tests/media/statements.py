"""Synthetic, neutral news-style statements (a letterhead-like header, a date line, several
lines naming an organisation of the KB), rendered the ways groups publish them: a PNG, a PDF
with a text layer (WeasyPrint) and an image-only PDF (pictures of the pages)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from html import escape
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

NOTO = Path("/usr/share/fonts/truetype/noto")


@dataclass(frozen=True)
class Statement:
    language: str
    text: str
    font: str  # Noto file name under NOTO
    organisation: str  # the KB entity the text names

    @property
    def font_path(self) -> Path:
        return NOTO / self.font

    @property
    def bold_font_path(self) -> Path:
        return NOTO / self.font.replace("-Regular", "-Bold")


ARABIC = Statement(
    "ar",
    "بيان صحفي\n"
    "التاريخ: 12 آذار 2024\n"
    "أعلنت هيئة الحشد الشعبي اليوم عن افتتاح مركز صحي جديد\n"
    "في محافظة ديالى لخدمة أهالي المنطقة.\n"
    "وقال المتحدث إن المركز سيستقبل المراجعين ابتداء من الأسبوع المقبل.",
    "NotoNaskhArabic-Regular.ttf",
    "marsad-org-popular-mobilization-forces",
)
FARSI = Statement(
    "fa",
    "اطلاعیه خبری\n"
    "تاریخ: ۲۰ اسفند ۱۴۰۲\n"
    "سپاه پاسداران انقلاب اسلامی امروز از برگزاری یک همایش علمی\n"
    "در شهر اصفهان خبر داد.\n"
    "این همایش با حضور پژوهشگران دانشگاه‌ها برگزار می‌شود.",
    "NotoSansArabic-Regular.ttf",
    "marsad-org-irgc",
)
HEBREW = Statement(
    "he",
    "הודעה לעיתונות\n"
    "תאריך: 14 במרץ 2024\n"
    "דובר מטעם חמאס מסר היום כי המעבר ייפתח מחר\n"
    "לתנועת משאיות סיוע הומניטרי.\n"
    "הצדדים ימשיכו בשיחות בתיווך מצרי בשבוע הבא.",
    "NotoSansHebrew-Regular.ttf",
    "marsad-org-hamas",
)
STATEMENTS = (ARABIC, FARSI, HEBREW)
WIDTH, HEIGHT, MARGIN = 1400, 520, 40


def statement_image(statement: Statement) -> Image.Image:
    """The statement set right-to-left (Pillow with Raqm shapes the letters), header in bold."""
    body = ImageFont.truetype(str(statement.font_path), 36)
    header = ImageFont.truetype(str(statement.bold_font_path), 48)
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    top = MARGIN
    for index, line in enumerate(statement.text.splitlines()):
        font = header if index == 0 else body
        draw.text(
            (WIDTH - MARGIN, top),
            line,
            font=font,
            fill="black",
            anchor="ra",
            direction="rtl",
            language=statement.language,
        )
        top += 80 if index == 0 else 60
    return image


def statement_png(statement: Statement) -> bytes:
    buffer = io.BytesIO()
    statement_image(statement).save(buffer, format="PNG")
    return buffer.getvalue()


def image_only_pdf(statement: Statement) -> bytes:
    """A PDF whose page is a picture of the statement: no text layer at all."""
    buffer = io.BytesIO()
    statement_image(statement).save(buffer, format="PDF", resolution=150.0)
    return buffer.getvalue()


def text_layer_pdf(statement: Statement) -> bytes:
    """The statement typeset by WeasyPrint (Pango shaping), so the PDF carries its text."""
    # Through Marsad's import, which keeps Pillow refusing truncated images in this process.
    from marsad.report.pdf import weasyprint_html

    lines = statement.text.splitlines()
    body = "".join(f"<p>{escape(line)}</p>" for line in lines[1:])
    html = f"""<!doctype html><html lang="{statement.language}" dir="rtl"><head><style>
      @font-face {{ font-family: Statement; src: url('{statement.font_path.as_uri()}'); }}
      @font-face {{ font-family: Statement; font-weight: bold;
                    src: url('{statement.bold_font_path.as_uri()}'); }}
      body {{ font-family: Statement; font-size: 14pt; }}
      h1 {{ font-size: 20pt; }}
    </style></head><body><h1>{escape(lines[0])}</h1>{body}</body></html>"""
    return bytes(weasyprint_html()(string=html).write_pdf())
