"""Machine translation: the cache of translated segments, shared across documents and runs.

The per-document result is `Translation` (collection.py); its `alignment` holds the sentence
pairs. The cache is keyed by what determines a translation, so a sentence reposted in many
documents is sent to a paid or slow backend once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from marsad.store.models.base import Base, utcnow


class TranslationCacheEntry(Base):
    __tablename__ = "translation_cache"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # SHA-256 of backend, backend version, source and target language and the protected text.
    key: Mapped[str] = mapped_column(String(64), unique=True)
    backend: Mapped[str] = mapped_column(String(60))
    backend_version: Mapped[str] = mapped_column(String(120))
    target_language: Mapped[str] = mapped_column(String(16))
    translated: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
