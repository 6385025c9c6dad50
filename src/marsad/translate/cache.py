"""The segment cache in the store: a protected sentence translated once per backend version
and language pair is never sent again — across documents, runs and workers."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from marsad.store.models import TranslationCacheEntry

# Keys are looked up in chunks, well under any backend's bound-parameter limit.
LOOKUP_CHUNK = 500


def cache_key(
    backend: str, version: str, source_language: str, target_language: str, text: str
) -> str:
    material = "\x1f".join((backend, version, source_language, target_language, text))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


class TranslationCache:
    def __init__(self, session: Session) -> None:
        self.session = session

    def lookup(self, keys: Iterable[str]) -> dict[str, str]:
        wanted = sorted(set(keys))
        found: dict[str, str] = {}
        for index in range(0, len(wanted), LOOKUP_CHUNK):
            chunk = wanted[index : index + LOOKUP_CHUNK]
            rows = self.session.execute(
                select(TranslationCacheEntry.key, TranslationCacheEntry.translated).where(
                    TranslationCacheEntry.key.in_(chunk)
                )
            )
            found.update({key: translated for key, translated in rows})
        return found

    def store(
        self,
        entries: Mapping[str, str],
        backend: str,
        version: str,
        target_language: str,
    ) -> None:
        """Add translations; a key another worker stored meanwhile is left as it is."""
        if not entries:
            return
        rows = [
            {
                "key": key,
                "backend": backend,
                "backend_version": version,
                "target_language": target_language,
                "translated": translated,
            }
            for key, translated in entries.items()
        ]
        dialect = self.session.get_bind().dialect.name
        insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        statement = insert(TranslationCacheEntry).on_conflict_do_nothing(index_elements=["key"])
        self.session.execute(statement, rows)
