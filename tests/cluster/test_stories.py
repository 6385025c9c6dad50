"""Stories from real captures: a statement page and a Telegram export that reposts it."""

import json
from pathlib import Path
from typing import Any

import pytest

from marsad.cluster.stories import is_first_appearance, load_stories, url_key
from marsad.collect.crawler import Crawler
from marsad.errors import EntityNotFound
from marsad.export.records import records_of
from marsad.pipeline.ingest import Ingestor
from marsad.store.models import Alias, Document, Entity, Mention, Source
from marsad.text.normalize import default_normalizer
from marsad.workspace import Workspace
from tests.webserver import Route, local_site

STATEMENT = (
    "عقد الأمين العام للحركة اجتماعا مع قادة فصيلين آخرين في بغداد يوم الأحد، وبحث المجتمعون "
    "الأوضاع الأمنية في المنطقة وسبل تنسيق المواقف السياسية خلال المرحلة المقبلة، وأكد البيان "
    "الصادر عن الاجتماع أن اللقاء جرى في أجواء ودية وأن اجتماعات أخرى ستعقد في الأسابيع القادمة."
)
OTHER = (
    "أعلنت بلدية المدينة افتتاح مكتبة عامة جديدة في الحي الشرقي تضم آلاف الكتب وقاعة للمطالعة "
    "مفتوحة للطلاب طوال أيام الأسبوع، وقالت إن المكتبة ستنظم ورشا للقراءة للأطفال كل يوم سبت."
)
PAGE = (
    '<html><head><meta property="article:published_time" content="2026-10-01T09:00:00+00:00">'
    f"<title>بيان</title></head><body><article><p>{STATEMENT}</p></article></body></html>"
)


def message(number: int, when: str, text: Any, **extra: str) -> dict[str, Any]:
    return {
        "id": number, "type": "message", "date": when, "from": "Harbour Desk",
        "from_id": "channel1555", "text": text, **extra,
    }  # fmt: skip


def export(folder: Path, page_url: str) -> Path:
    folder.mkdir()
    messages = [
        message(
            10,
            "2026-10-02T08:00:00",
            ["📌 " + STATEMENT + " ", {"type": "text_link", "text": "البيان", "href": page_url}],
        ),
        message(11, "2026-10-02T12:00:00", STATEMENT, forwarded_from="River Channel"),
        message(
            12, "2026-10-03T07:30:00", STATEMENT + " @harbour_desk", forwarded_from="Harbour Desk"
        ),
        message(13, "2026-10-03T09:00:00", OTHER),
    ]
    path = folder / "result.json"
    header = {"name": "Harbour Desk", "type": "public_channel", "id": 1555}
    path.write_text(json.dumps({**header, "messages": messages}, ensure_ascii=False), "utf-8")
    return path


def collect(workspace: Workspace, tmp_path: Path) -> str:
    with local_site({"/statements/7": Route(body=PAGE.encode())}) as site:
        page_url = site.url("/statements/7")
        assert Ingestor(workspace).ingest([page_url]).pipeline.failures == []
    path = export(tmp_path / "ChatExport", page_url)
    with workspace.database.session() as session:
        session.add(
            Source(name="harbour", kind="telegram-export", locator=str(path), schedule="1h")
        )
    crawls = Crawler(workspace).crawl_due(["harbour"])
    assert [crawl.error for crawl in crawls] == [None]
    return page_url


def test_a_story_orders_its_copies_and_says_how_they_spread(
    workspace: Workspace, tmp_path: Path
) -> None:
    page_url = collect(workspace, tmp_path)
    with workspace.database.session() as session:
        (story,) = list(load_stories(session))
        by_url = {m.url: m for m in story.members}
        page = by_url[page_url]
        posts = {m.url.rsplit("/", 1)[1]: m for m in story.members if m.url != page_url}
        assert set(posts) == {"10", "11", "12"}  # message 13 is another text
        assert [m.document_id for m in story.members] == [
            page.document_id, posts["10"].document_id, posts["11"].document_id,
            posts["12"].document_id,
        ]  # fmt: skip
        assert story.first == page and story.sources_in_order[0] == "127.0.0.1"
        edges = {(e.origin, e.document_id, e.kind) for e in story.edges}
        assert edges == {
            (page.document_id, posts["10"].document_id, "link"),
            ("telegram:River Channel", posts["11"].document_id, "forward"),
            (posts["10"].document_id, posts["12"].document_id, "forward"),
        }
        first, repost = (session.get(Document, m.document_id) for m in (page, posts["12"]))
        assert first is not None and repost is not None
        assert is_first_appearance(session, first) and not is_first_appearance(session, repost)
        (record,) = list(records_of("stories", session))
    assert record["size"] == 4 and record["first"]["url"] == page_url
    assert record["languages"] == ["ar"]
    assert {"from": "telegram:River Channel", "to": posts["11"].document_id, "kind": "forward"} in (
        record["edges"]
    )


def test_stories_filter_by_day_and_by_entity(workspace: Workspace, tmp_path: Path) -> None:
    collect(workspace, tmp_path)
    with workspace.database.session() as session:
        assert len(list(load_stories(session, since="2026-10-01"))) == 1
        assert list(load_stories(session, since="2999-01-01")) == []
        assert [len(s.members) for s in load_stories(session, min_size=4)] == [4]
        assert list(load_stories(session, min_size=5)) == []
        entity = Entity(
            id="marsad-org-harbour-movement", kind="organization", name="Harbour Movement"
        )
        entity.aliases.append(
            Alias(
                name="حركة المرفأ",
                normalized=default_normalizer().key("حركة المرفأ"),
                language="ar",
            )
        )
        session.add(entity)
        document_id = min(s.first.document_id for s in load_stories(session))
        session.add(
            Mention(document_id=document_id, entity_id=entity.id, stage="test", surface="الحركة",
                    start=0, end=6, method="test")
        )  # fmt: skip
        session.flush()
        assert len(list(load_stories(session, entity="حركه المرفا"))) == 1  # any spelling
        with pytest.raises(EntityNotFound):
            list(load_stories(session, entity="Nobody At All"))


def test_urls_compare_loosely() -> None:
    assert url_key("https://www.Example.org/a/b/#top") == url_key("http://example.org/a/b")
