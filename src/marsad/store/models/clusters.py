"""Near-duplicate detection: the LSH bands of each document's MinHash signature."""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, Index, Integer
from sqlalchemy.orm import Mapped, mapped_column

from marsad.store.models.base import Base


class MinhashBand(Base):
    """One LSH band of a document's signature: documents sharing a (band, key) are candidate
    near-duplicates. Kept in the store so lookups scale without an in-memory index."""

    __tablename__ = "minhash_bands"
    __table_args__ = (Index("ix_minhash_bands_band_key", "band", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    band: Mapped[int] = mapped_column(Integer)
    key: Mapped[int] = mapped_column(BigInteger)
