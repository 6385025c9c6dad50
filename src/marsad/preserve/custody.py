"""The custody log: who did what to which evidence, when — append-only and hash-chained.

Each entry's hash covers its own fields and the previous entry's hash, so changing, removing
or re-ordering any row breaks every hash after it; `marsad verify` walks the chain. Entries
are appended in the same transaction as the capture they describe.

Ordering: `seq` is the primary key, so two writers can never both commit the same link. On
PostgreSQL a transaction-scoped advisory lock serialises appenders until they commit, so they
queue instead of failing; SQLite already allows one writer at a time.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from marsad.preserve.seal import CustodySeal
from marsad.store.db import hold_lock
from marsad.store.models import CustodyEntry, utcnow

GENESIS_HASH = "0" * 64
BATCH = 1000
logger = logging.getLogger(__name__)
# Read for every capture: built once (assembling a statement costs more than running it).
HEAD_ENTRY = select(CustodyEntry).order_by(CustodyEntry.seq.desc()).limit(1)
PENDING_HEAD = "marsad.custody_head"  # session.info key: the head to checkpoint after commit


def canonical_json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def canonical_time(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def hash_entry(entry: CustodyEntry) -> str:
    """SHA-256 of the entry's canonical JSON, prev_hash included, entry_hash excluded."""
    fields = {
        "seq": entry.seq,
        "at": canonical_time(entry.at),
        "actor": entry.actor,
        "action": entry.action,
        "capture_id": entry.capture_id,
        "sha256": entry.sha256,
        "details": entry.details,
        "prev_hash": entry.prev_hash,
    }
    return hashlib.sha256(canonical_json(fields)).hexdigest()


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    kind: str  # altered | broken | forged | unsealed | cut
    message: str


def _checkpoint_after_commit(session: Session) -> None:
    pending = session.info.pop(PENDING_HEAD, None)
    if pending is None:
        return
    seal, seq, entry_hash, first_sealed = pending
    try:
        seal.advance_checkpoint(seq, entry_hash, first_sealed)
    except OSError as error:
        # The entries are committed; a checkpoint left behind the head is still a true prefix
        # (verify agrees), and the next commit moves it on.
        logger.warning("custody checkpoint not written (%s): %s", seal.checkpoint_file, error)


def _forget_head(session: Session, _previous: object = None) -> None:
    session.info.pop(PENDING_HEAD, None)


class CustodyLog:
    """The log of one unit of work. With a `seal` (Workspace.custody_seal) each new entry gets
    its keyed MAC and the checkpoint file follows the head once the transaction commits."""

    def __init__(self, session: Session, seal: CustodySeal | None = None) -> None:
        self.session = session
        self.seal = seal

    def append(
        self,
        action: str,
        actor: str,
        capture_id: int | None = None,
        sha256: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> CustodyEntry:
        hold_lock(self.session, "custody log")
        last = self.session.scalars(HEAD_ENTRY).first()
        entry = CustodyEntry(
            seq=(last.seq + 1) if last else 1,
            # Microseconds are the finest both SQLite and PostgreSQL keep, so the hash survives
            # the round trip.
            at=utcnow(),
            actor=actor,
            action=action,
            capture_id=capture_id,
            sha256=sha256,
            details=details or {},
            prev_hash=last.entry_hash if last else GENESIS_HASH,
        )
        entry.entry_hash = hash_entry(entry)
        if self.seal is not None:
            entry.entry_mac = self.seal.mac(entry.entry_hash)
            self._checkpoint_on_commit(entry)
        self.session.add(entry)
        self.session.flush()
        return entry

    def _checkpoint_on_commit(self, entry: CustodyEntry) -> None:
        assert self.seal is not None
        pending = self.session.info.get(PENDING_HEAD)
        first_sealed = pending[3] if pending is not None else entry.seq
        self.session.info[PENDING_HEAD] = (self.seal, entry.seq, entry.entry_hash, first_sealed)
        if not event.contains(self.session, "after_commit", _checkpoint_after_commit):
            event.listen(self.session, "after_commit", _checkpoint_after_commit)
            event.listen(self.session, "after_rollback", _forget_head)

    def entries_for(self, capture_id: int) -> list[CustodyEntry]:
        query = select(CustodyEntry).where(CustodyEntry.capture_id == capture_id)
        return list(self.session.scalars(query.order_by(CustodyEntry.seq)))

    def entries(self) -> Iterator[CustodyEntry]:
        query = select(CustodyEntry).order_by(CustodyEntry.seq)
        yield from self.session.scalars(query.execution_options(yield_per=BATCH))

    def walk(self, key: bytes | None = None) -> Iterator[ChainProblem]:
        """Every break in the chain: an entry whose fields no longer match its hash, an entry
        that does not follow the one before it, or missing entries. With the custody `key`
        also every entry whose MAC is wrong, and unsealed entries after sealed ones."""
        expected_seq, expected_prev = 1, GENESIS_HASH
        sealed_seen = False
        for entry in self.entries():
            if key is not None:
                yield from self._mac_problems(entry, key, sealed_seen)
                sealed_seen = sealed_seen or entry.entry_mac is not None
            if entry.seq != expected_seq:
                yield ChainProblem(
                    entry.seq,
                    "broken",
                    f"custody chain broken at seq {entry.seq}: entries {expected_seq}"
                    f"–{entry.seq - 1} are missing",
                )
            elif entry.prev_hash != expected_prev:
                yield ChainProblem(
                    entry.seq,
                    "broken",
                    f"custody chain broken at seq {entry.seq}: it does not follow entry "
                    f"{entry.seq - 1} (prev_hash differs)",
                )
            if hash_entry(entry) != entry.entry_hash:
                yield ChainProblem(
                    entry.seq,
                    "altered",
                    f"custody entry {entry.seq} was altered: its fields no longer match its hash",
                )
            expected_seq, expected_prev = entry.seq + 1, entry.entry_hash

    @staticmethod
    def _mac_problems(entry: CustodyEntry, key: bytes, sealed_seen: bool) -> Iterator[ChainProblem]:
        if entry.entry_mac is None:
            if sealed_seen:
                yield ChainProblem(
                    entry.seq,
                    "unsealed",
                    f"custody entry {entry.seq} carries no MAC though earlier entries do: "
                    "rewritten without the custody key",
                )
        elif not hmac.compare_digest(entry.entry_mac, CustodySeal.mac_with(key, entry.entry_hash)):
            yield ChainProblem(
                entry.seq,
                "forged",
                f"custody entry {entry.seq} has a MAC that the custody key did not make: "
                "the row was rewritten (and re-chained) outside Marsad",
            )
