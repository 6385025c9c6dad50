"""Media (images, PDFs, videos) among the captures: their hashes, shared hash lists, and matches."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marsad.store.models.base import Base, utcnow
from marsad.store.models.collection import Capture


class MediumHash(Base):
    """The hashes of one captured medium: SHA-256 and MD5 of its bytes, and for an image its
    PDQ perceptual hash (64 hex digits) and quality (0-100); a video's PDQs are its keyframes'.
    Written as the medium is captured."""

    __tablename__ = "media_hashes"

    capture_id: Mapped[int] = mapped_column(
        ForeignKey("captures.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(16))  # image | pdf | video
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    md5: Mapped[str] = mapped_column(String(32), index=True)
    pdq: Mapped[str | None] = mapped_column(String(64))
    pdq_quality: Mapped[int | None] = mapped_column(Integer)

    capture: Mapped[Capture] = relationship()


class MediumKeyframe(Base):
    """One keyframe of a captured video (read by ffmpeg): where it is, and its PDQ hash."""

    __tablename__ = "media_keyframes"

    capture_id: Mapped[int] = mapped_column(
        ForeignKey("captures.id", ondelete="CASCADE"), primary_key=True
    )
    frame_index: Mapped[int] = mapped_column(Integer, primary_key=True)  # 0-based keyframe
    seconds: Mapped[float | None] = mapped_column(Float)  # its time in the video
    pdq: Mapped[str] = mapped_column(String(64))
    pdq_quality: Mapped[int] = mapped_column(Integer)


class HashListEntry(Base):
    """One hash of a shared list (`marsad hashlist import`): what to look for, and its label."""

    __tablename__ = "hash_list_entries"
    __table_args__ = (UniqueConstraint("list_name", "algorithm", "value"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    list_name: Mapped[str] = mapped_column(String(200), index=True)
    algorithm: Mapped[str] = mapped_column(String(16))  # sha256 | md5 | pdq
    value: Mapped[str] = mapped_column(String(64), index=True)
    label: Mapped[str] = mapped_column(Text, default="")
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)


class HashMatch(Base):
    """A captured medium whose hash is on a list (PDQ: within MARSAD_PDQ_MAX_DISTANCE bits)."""

    __tablename__ = "hash_matches"
    __table_args__ = (UniqueConstraint("capture_id", "entry_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    capture_id: Mapped[int] = mapped_column(
        ForeignKey("captures.id", ondelete="CASCADE"), index=True
    )
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("hash_list_entries.id", ondelete="CASCADE"), index=True
    )
    distance: Mapped[int] = mapped_column(Integer, default=0)  # differing PDQ bits; 0 exact
    matched_at: Mapped[datetime] = mapped_column(default=utcnow)

    entry: Mapped[HashListEntry] = relationship()
