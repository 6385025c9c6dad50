"""The full-text index on SQLite (FTS5) and PostgreSQL (tsvector): spelling-blind matching,
replacement on re-index, filters, the count cap and snippets in the original spelling."""

from __future__ import annotations

import pytest

from marsad.store.models import Capture, Document, Source
from marsad.store.search import SearchFilters, SearchIndex, search_documents
from marsad.store.search import query as search_query
from marsad.store.search.snippets import snippet_of
from marsad.text.normalize import default_normalizer
from marsad.workspace import Workspace
from tests.statements import statements_run

TEXTS = {
    "ar": "أعلنت الهيئة إطلاق حملة لتوزيع السلال الغذائية على الأسر في محافظة البصرة.",
    "fa": "ستاد کمک‌رسانی اعلام کرد کمک‌های غذایی به خانواده‌های نیازمند رسید.",
    "en": "The Relief Committee said food baskets reached families in Basra.",
}


def add(workspace: Workspace, text: str, language: str, published: str | None = None) -> int:
    normalizer = default_normalizer()
    with workspace.database.session() as session:
        capture = Capture(url=f"https://news.example/{len(text)}-{language}", sha256="0" * 64)
        document = Document(
            capture=capture, url=capture.url, text=text, language=language, published=published
        )
        session.add(document)
        session.flush()
        SearchIndex(session, normalizer).update(document)
        return document.id


def ids(workspace: Workspace, query: str, **filters: str) -> list[int]:
    with workspace.database.session() as session:
        page = search_documents(session, default_normalizer(), query, SearchFilters(**filters))  # type: ignore[arg-type]
        return [hit.document.id for hit in page.hits]


def test_any_alef_hamza_yeh_kaf_form_finds_the_others(workspace: Workspace) -> None:
    arabic = add(workspace, TEXTS["ar"], "ar")
    farsi = add(workspace, TEXTS["fa"], "fa")
    english = add(workspace, TEXTS["en"], "en")
    assert ids(workspace, "اعلنت الهيئه") == [arabic]  # no hamza, heh for teh marbuta
    assert ids(workspace, "الغذاءية") == []  # a different word stays different
    assert ids(workspace, "غذايي") == [farsi]  # Arabic yeh for Farsi yeh
    assert ids(workspace, "BASRA") == [english]
    assert ids(workspace, "basra", language="en") == [english]
    assert ids(workspace, "basra", language="ar") == []
    assert ids(workspace, '" OR 1=1 --') == []  # query text is never FTS syntax


def test_reindexing_replaces_the_row_and_empty_text_leaves_none(workspace: Workspace) -> None:
    document_id = add(workspace, TEXTS["en"], "en")
    with workspace.database.session() as session:
        document = session.get_one(Document, document_id)
        document.text = "Nothing about baskets any more."
        SearchIndex(session, default_normalizer()).update(document)
    assert ids(workspace, "families") == []
    assert ids(workspace, "baskets") == [document_id]
    with workspace.database.session() as session:
        document = session.get_one(Document, document_id)
        document.text = ""
        SearchIndex(session, default_normalizer()).update(document)
    assert ids(workspace, "baskets") == []


def test_publication_date_bounds_keep_their_precision(workspace: Workspace) -> None:
    march = add(workspace, "Council meeting on water.", "en", "2020-03-31")
    april = add(workspace, "Council meeting on roads.", "en", "2020-04-01")
    assert ids(workspace, "council", date_to="2020-03") == [march]
    assert ids(workspace, "council", date_from="2020-04") == [april]


def test_beyond_the_count_cap_the_newest_come_first(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    added = [add(workspace, f"Council statement number {n}.", "en") for n in range(5)]
    monkeypatch.setattr(search_query, "COUNT_CAP", 3)
    with workspace.database.session() as session:
        page = search_documents(session, default_normalizer(), "council statement", limit=2)
    assert (page.total, page.total_exact, page.ranked) == (3, False, False)
    assert [hit.document.id for hit in page.hits] == added[::-1][:2]


def test_beyond_the_count_cap_the_facets_count_the_newest_matches(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The facets describe the documents listed, not the oldest ones the index meets first."""
    for n, language in enumerate(["fr", "fr", "en", "en", "en"]):
        add(workspace, f"Council statement number {n}.", language)
    monkeypatch.setattr(search_query, "COUNT_CAP", 3)
    with workspace.database.session() as session:
        page = search_documents(session, default_normalizer(), "council statement")
    assert [(facet.value, facet.count) for facet in page.facets["language"]] == [("en", 3)]


def test_facets_count_each_value_most_first_then_by_label(workspace: Workspace) -> None:
    with workspace.database.session() as session:
        names = ("Zeta Channel", "Alpha Channel")
        sources = [
            Source(name=name, kind="feed", locator=f"https://{n}.example/")
            for n, name in enumerate(names)
        ]
        session.add_all(sources)
        session.flush()
        for n, (language, source) in enumerate(
            [("en", 0), ("en", 1), ("fr", 0), ("fr", 1), ("en", 1)]
        ):
            capture = Capture(url=f"https://news.example/{n}", source_id=sources[source].id)
            document = Document(
                capture=capture, url=capture.url, text=f"Council item {n}.", language=language
            )
            session.add(document)
            session.flush()
            SearchIndex(session, default_normalizer()).update(document)
    add(workspace, "Unrelated words.", "de")
    with workspace.database.session() as session:
        facets = search_documents(session, default_normalizer(), "council").facets
    assert [(f.value, f.count) for f in facets["language"]] == [("en", 3), ("fr", 2)]
    assert [(f.label, f.count) for f in facets["source"]] == [
        ("Alpha Channel", 3),
        ("Zeta Channel", 2),
    ]
    assert facets["source"][0].value == str(sources[1].id)
    assert facets["entity"] == facets["event_type"] == []


def test_snippet_marks_the_original_spelling() -> None:
    snippet = snippet_of(default_normalizer(), TEXTS["ar"], ["اعلنت"])
    assert [part.text for part in snippet.parts if part.matched] == ["أعلنت"]
    assert snippet.text == TEXTS["ar"]


@pytest.mark.parametrize("filters", [{}, {"language": "ar"}], ids=["words only", "with a filter"])
def test_a_search_takes_four_statements_however_many_hits(
    workspace: Workspace, filters: dict[str, str]
) -> None:
    """The count, the page, the hits' documents and the facets: no statement per hit."""
    for number in range(5):
        add(workspace, f"{TEXTS['ar']} {number}", "ar")
    with workspace.database.session() as session, statements_run(session) as sent:
        page = search_documents(
            session,
            default_normalizer(),
            "الغذائيه",
            SearchFilters(**filters),  # type: ignore[arg-type]
        )
    assert len(page.hits) == 5 and page.facets["language"][0].count == 5
    assert len(sent) == 4, sent
