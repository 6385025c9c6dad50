"""The `search` stage: keeps each document's row of the full-text index up to date."""

from __future__ import annotations

from marsad.pipeline.stage import BaseStage, StageContext
from marsad.store.search.index import SearchIndex
from marsad.text.normalize import default_normalizer


class SearchIndexStage(BaseStage):
    name = "search"
    version = "1"
    requires = ("extract",)
    description = (
        "Full-text index of the normalised title and text (SQLite FTS5, or a PostgreSQL "
        "tsvector with the 'simple' configuration), for the web workbench's search."
    )

    def process(self, ctx: StageContext) -> None:
        index = SearchIndex(ctx.session, default_normalizer(ctx.settings.normalize_skip))
        index.update(ctx.document)
