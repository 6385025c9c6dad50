"""What the document page reads from the store, and in how few statements: each one costs the
page more in building and round trips than the rows it returns."""

from __future__ import annotations

from marsad.media.describe import listed_matches
from marsad.store.models import HashListEntry, HashMatch
from marsad.web.queries import document_view
from tests.statements import statements_run
from tests.web.corpus import WebHome


def test_a_document_with_entities_first_seen_and_hash_matches_takes_six_statements(
    home: WebHome,
) -> None:
    document_id = home.documents["ar-meeting.html"]
    with home.workspace.database.session() as session:
        capture_id = document_view(session, document_id).capture.id
        for label in ("poster", "banner"):
            entry = HashListEntry(list_name="shared", algorithm="md5", value=label, label=label)
            session.add(entry)
            session.flush()
            session.add(HashMatch(capture_id=capture_id, entry_id=entry.id))
        session.commit()
    with home.workspace.database.session() as session, statements_run(session) as sent:
        view = document_view(session, document_id)
        names = {m.entity.name for m in view.mentions if m.entity}
        matches = listed_matches(session, view.capture.id)
        # Each one of: the document with its capture and source, mentions with their
        # entities, translations, events, first seen (URL and content), hash-list matches.
        assert len(sent) == 6, sent
    assert "Akram al-Kaabi" in names  # the mentions' entities came with them
    assert view.url_first_seen is not None and view.content_first_seen is not None
    assert view.content_first_seen.capture_id == capture_id
    assert sorted(match.label for match in matches) == ["banner", "poster"]
