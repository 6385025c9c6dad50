"""Full-text search over normalised text: SQLite FTS5 on the embedded default, PostgreSQL
full-text (a tsvector over the normalised text, 'simple' configuration) at scale.

Both sides of a match — the indexed text and the query — go through the same normaliser
(`marsad.text.normalize`), so any alef, yeh, kaf or hamza form of a word finds the others.
"""

from marsad.store.search.index import SearchIndex, is_search_table
from marsad.store.search.query import Facet, SearchFilters, SearchHit, SearchPage, search_documents

__all__ = [
    "Facet",
    "SearchFilters",
    "SearchHit",
    "SearchIndex",
    "SearchPage",
    "is_search_table",
    "search_documents",
]
