"""A faction's site for the referral tests: an Arabic statement page and a poster image,
served by the local web server, and a referral case opened on them."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw
from sqlalchemy import select

from marsad.pipeline.ingest import Ingestor
from marsad.referral.cases import ReferralDesk
from marsad.store.models import Capture, Document
from marsad.workspace import Workspace
from tests.webserver import Route

STATEMENT = (
    "أعلنت الهيئة الإعلامية للفصيل في بيان نشرته على موقعها يوم الثلاثاء أنها أطلقت حملة جديدة "
    "لجمع التبرعات، ودعت أنصارها إلى تحويل الأموال عبر حسابات ذكرها البيان بالتفصيل."
)


def page(title: str, body: str, lang: str = "ar") -> bytes:
    return (
        f'<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title></head><body>'
        f"<nav>الرئيسية | أخبار | اتصل بنا</nav><article><h1>{title}</h1><p>{body}</p>"
        f"<p>{body}</p></article><footer>جميع الحقوق محفوظة</footer></body></html>"
    ).encode()


def poster() -> bytes:
    image = Image.new("RGB", (256, 256), "white")
    draw = ImageDraw.Draw(image)
    for step in range(0, 256, 16):
        draw.rectangle(
            [step // 2, step // 3, 255 - step // 2, 255 - step // 3], outline=(step, 30, 90)
        )
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def html_route(body: bytes) -> Route:
    return Route(body=body, headers={"Content-Type": "text/html; charset=utf-8"})


def faction_site() -> dict[str, Route]:
    return {
        "/": html_route(page("الصفحة الرئيسية", "مرحبا بكم في الموقع")),
        "/statements/fundraising": html_route(page("بيان حملة التبرعات", STATEMENT)),
        "/media/poster.png": Route(body=poster(), headers={"Content-Type": "image/png"}),
    }


def referred_case(workspace: Workspace, site_url: str) -> int:
    summary = Ingestor(workspace).ingest(
        [f"{site_url}/statements/fundraising", f"{site_url}/media/poster.png"], "faction site"
    )
    assert summary.failed_captures == []
    with workspace.database.session() as session:
        statement = session.scalars(select(Document).where(Document.url.endswith("fundraising")))
        image = session.scalars(select(Capture).where(Capture.url.endswith("poster.png")))
        case = ReferralDesk(session).open_case(
            "fundraising",
            capture_ids=[image.one().id],
            document_ids=[statement.one().id],
            notes="Donation drive with account details.",
            by="analyst:test",
        )
        return case.id
