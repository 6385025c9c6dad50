"""The fields of each export kind, in order: the export's documented shape, apart from the code
that fills it so the CLI can name the kinds without loading the database layer."""

EXPORT_FIELDS: dict[str, tuple[str, ...]] = {
    "documents": (
        "id",
        "url",
        "title",
        "language",
        "published",
        "sha256",
        "first_seen_at",
        "properties",
    ),
    "entities": ("id", "kind", "name", "aliases", "designations"),
    "mentions": (
        "document_id",
        "entity_id",
        "entity_name",
        "entity_kind",
        "surface",
        "start",
        "end",
    ),
    "relations": ("subject", "predicate", "object", "document_id", "evidence"),
    "events": (
        "id",
        "type",
        "date",
        "date_precision",
        "date_certainty",
        "actors",
        "place",
        "summary",
        "language",
        "sources",
    ),
    "translations": ("document_id", "target_language", "backend", "text"),
    "dates": (
        "document_id",
        "expression",
        "start",
        "end",
        "value",
        "end_value",
        "precision",
        "certainty",
        "calendar",
        "relative",
    ),
    "stories": (
        "id",
        "size",
        "languages",
        "first",
        "sources_in_order",
        "members",
        "edges",
        "cross_language",
    ),
}

HASHLIST_FIELDS = (
    "sha256", "md5", "pdq", "pdq_quality", "kind", "content_type", "size", "captures",
    "first_url", "first_seen_at",
)  # fmt: skip
