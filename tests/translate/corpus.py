"""A small synthetic, neutral news corpus in Arabic, Farsi and Hebrew, with the KB entries it
names, and helpers to load them into a workspace. The names and dates each document must show
in translation are listed beside it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from marsad.pipeline.ingest import Ingestor
from marsad.store.models import Document
from marsad.workspace import Workspace
from tests.knowledge import sync_kb_yaml

KB = """
entities:
  - id: test-org-nujaba
    kind: organization
    name: Harakat Hezbollah al-Nujaba
    aliases:
      en: ["Nujaba Movement"]
      ar: ["حركة النجباء", "النجباء"]
      fa: ["جنبش نجباء"]
      he: ["תנועת אל-נוג'בא"]
    sources: ["synthetic test entry"]
  - id: test-person-kaabi
    kind: person
    name: Akram al-Kaabi
    aliases:
      ar: ["أكرم الكعبي"]
      fa: ["اکرم کعبی"]
      he: ["אכרם אל-כעבי"]
    sources: ["synthetic test entry"]
  - id: test-place-baghdad
    kind: place
    name: Baghdad
    place_type: city
    aliases:
      ar: ["بغداد"]
      fa: ["بغداد"]
      he: ["בגדאד"]
    sources: ["synthetic test entry"]
"""


@dataclass(frozen=True)
class Article:
    name: str
    language: str
    text: str
    names: tuple[str, ...]  # canonical names the translation must contain
    dates: tuple[str, ...]  # rendered dates it must contain


ARTICLES = (
    Article(
        "ar-meeting",
        "ar",
        "بيان حول اللقاء\n"
        "قال الأمين العام لحركة النجباء أكرم الكعبي في بغداد يوم 15 كانون الثاني 2020 إن "
        "اللجنة المشتركة ستجتمع الأسبوع المقبل لبحث ملفات الخدمات في المحافظة. وأضاف أن "
        "الاجتماع سيكون مفتوحا لممثلي الأهالي.\n",
        ("Harakat Hezbollah al-Nujaba", "Akram al-Kaabi", "Baghdad"),
        # "next week" counts from the first full date near the top, taken as the dateline.
        ("15 January 2020", "possibly 22 January 2020"),
    ),
    Article(
        "fa-meeting",
        "fa",
        "نشست کمیته مشترک\n"
        "اکرم کعبی دبیرکل جنبش نجباء روز ۱۵ دی ۱۳۹۸ در بغداد گفت که کمیته مشترک هفته آینده "
        "برای بررسی پرونده‌های خدمات تشکیل جلسه می‌دهد. او افزود که این نشست برای نمایندگان "
        "مردم باز خواهد بود.\n",
        ("Akram al-Kaabi", "Harakat Hezbollah al-Nujaba", "Baghdad"),
        ("5 January 2020 (Persian calendar date)", "possibly 12 January 2020"),
    ),
    Article(
        "he-meeting",
        "he",
        "פגישת הוועדה המשותפת\n"
        "מזכ\"ל תנועת אל-נוג'בא, אכרם אל-כעבי, אמר בבגדאד ב-15 בינואר 2020 כי הוועדה המשותפת "
        "תתכנס בשבוע הבא כדי לדון בשירותים במחוז. הוא הוסיף כי הפגישה תהיה פתוחה לנציגי "
        "התושבים.\n",
        ("Harakat Hezbollah al-Nujaba", "Akram al-Kaabi", "Baghdad"),
        ("15 January 2020", "possibly 22 January 2020"),
    ),
)


def load_kb(workspace: Workspace, folder: Path) -> None:
    sync_kb_yaml(workspace, KB, folder)


def ingest_articles(
    workspace: Workspace, folder: Path, articles: tuple[Article, ...] = ARTICLES
) -> dict[str, int]:
    """Ingest each article as a text file; their document ids by article name."""
    ids: dict[str, int] = {}
    for article in articles:
        page = folder / f"{article.name}.txt"
        page.write_text(article.text, encoding="utf-8")
        summary = Ingestor(workspace).ingest([str(page)], language=article.language)
        assert summary.pipeline.failures == [], summary.pipeline.failures
        with workspace.database.session() as session:
            ids[article.name] = session.scalars(
                select(Document.id).where(Document.url == page.as_uri())
            ).one()
    return ids
