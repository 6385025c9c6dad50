"""Writing the search index: one row per document holding its normalised title and text.

The index tables are backend-specific DDL made by migration 0010 (an FTS5 virtual table on
SQLite, a table of tsvectors with a GIN index on PostgreSQL), so they are not
SQLAlchemy models; `is_search_table` keeps schema comparisons from reporting them.
"""

from __future__ import annotations

import re

from sqlalchemy import text
from sqlalchemy.orm import Session

from marsad.store.models import Document
from marsad.text.normalize import Normalizer

SQLITE_TABLE = "search_fts"
POSTGRES_TABLE = "search_documents"
WORD = re.compile(r"\w+")


def is_search_table(name: str | None) -> bool:
    """Tables of the search index (and FTS5's shadow tables), which no model describes."""
    if not name:
        return False
    return name in (POSTGRES_TABLE, SQLITE_TABLE) or name.startswith(SQLITE_TABLE + "_")


def query_terms(normalizer: Normalizer, query: str) -> list[str]:
    """The words of a query after normalisation, in order, without repeats."""
    return list(dict.fromkeys(WORD.findall(normalizer.key(query))))


class SearchIndex:
    def __init__(self, session: Session, normalizer: Normalizer) -> None:
        self.session = session
        self.normalizer = normalizer
        self.backend = session.get_bind().dialect.name

    def body_of(self, document: Document) -> str:
        return self.normalizer.key(
            "\n".join(part for part in (document.title, document.text) if part)
        )

    def update(self, document: Document) -> None:
        """Replace the document's row (an empty document leaves no row)."""
        self.remove(document.id)
        body = self.body_of(document)
        if not body.strip():
            return
        if self.backend == "sqlite":
            statement = f"INSERT INTO {SQLITE_TABLE} (rowid, body) VALUES (:id, :body)"
        else:
            statement = (
                f"INSERT INTO {POSTGRES_TABLE} (document_id, tsv)"
                " VALUES (:id, to_tsvector('simple', :body))"
            )
        self.session.execute(text(statement), {"id": document.id, "body": body})

    def remove(self, document_id: int) -> None:
        if self.backend == "sqlite":
            statement = f"DELETE FROM {SQLITE_TABLE} WHERE rowid = :id"
        else:
            statement = f"DELETE FROM {POSTGRES_TABLE} WHERE document_id = :id"
        self.session.execute(text(statement), {"id": document_id})
