"""Anchoring the custody chain outside the database.

A SHA-256 chain inside the database proves nothing to someone who can write the database: they
cut the tail, or rewrite rows and re-chain them with the same public hash function. Two
anchors live outside it:

- the *custody key* (a file, `MARSAD_CUSTODY_KEY_FILE`): every entry carries an HMAC of its
  hash under this key, so a re-chained row cannot carry a valid MAC;
- the *checkpoint* (a file, `MARSAD_CUSTODY_CHECKPOINT`): the chain's head (seq, hash), signed
  with the same key, rewritten after every commit that appends entries. `marsad verify`
  compares the log with it, so a cut tail or a rewritten head shows.

Keep the key (and a copy of the checkpoint) where the database's writers cannot reach, e.g. on
another volume; by default both sit in MARSAD_HOME beside, not inside, the database.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from marsad.config import Setting, Settings
from marsad.keyfile import read_or_create_secret

CHECKPOINT_VERSION = 1

CUSTODY_KEY_FILE = Setting(
    "custody_key_file",
    None,
    "File holding the custody log's HMAC key (created on first use, owner-only); default "
    "$MARSAD_HOME/custody.key. Keep it out of reach of the database's writers.",
)
CUSTODY_CHECKPOINT = Setting(
    "custody_checkpoint",
    None,
    "File holding the signed head of the custody chain, rewritten after each commit; default "
    "$MARSAD_HOME/custody-checkpoint.json.",
)
CUSTODY_SETTINGS = (CUSTODY_KEY_FILE, CUSTODY_CHECKPOINT)


class CheckpointInvalid(Exception):
    """The checkpoint file exists but is unreadable or its signature does not match."""


@dataclass(frozen=True)
class Checkpoint:
    seq: int  # the head of the chain when it was written
    entry_hash: str
    sealed_from: int  # the first entry carrying a MAC; every later one must carry one
    written_at: str

    def fields(self) -> dict[str, Any]:
        return {
            "version": CHECKPOINT_VERSION,
            "seq": self.seq,
            "entry_hash": self.entry_hash,
            "sealed_from": self.sealed_from,
            "written_at": self.written_at,
        }


def _canonical(value: dict[str, Any]) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":")).encode("utf-8")


@dataclass(frozen=True)
class CustodySeal:
    key_file: Path
    checkpoint_file: Path

    @classmethod
    def for_settings(cls, settings: Settings) -> CustodySeal:
        key = settings.value_of(CUSTODY_KEY_FILE) or settings.home / "custody.key"
        checkpoint = (
            settings.value_of(CUSTODY_CHECKPOINT) or settings.home / "custody-checkpoint.json"
        )
        return cls(Path(key).expanduser().resolve(), Path(checkpoint).expanduser().resolve())

    def key(self) -> bytes:
        """The key, made on first use (appending entries)."""
        return read_or_create_secret(self.key_file)

    def existing_key(self) -> bytes | None:
        """The key if it exists (verifying must not make a new one)."""
        try:
            return self.key_file.read_bytes()
        except FileNotFoundError:
            return None

    @staticmethod
    def mac_with(key: bytes, entry_hash: str) -> str:
        return hmac.new(key, f"custody-entry:{entry_hash}".encode(), hashlib.sha256).hexdigest()

    def mac(self, entry_hash: str) -> str:
        return self.mac_with(self.key(), entry_hash)

    def read_checkpoint(self, key: bytes) -> Checkpoint | None:
        """The checkpoint, None when there is none; CheckpointInvalid when it was tampered."""
        try:
            raw = json.loads(self.checkpoint_file.read_bytes())
            signature = str(raw.pop("mac"))
            checkpoint = Checkpoint(
                int(raw["seq"]),
                str(raw["entry_hash"]),
                int(raw["sealed_from"]),
                str(raw["written_at"]),
            )
        except FileNotFoundError:
            return None
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise CheckpointInvalid(f"unreadable ({error.__class__.__name__})") from None
        expected = hmac.new(key, _canonical(raw), hashlib.sha256).hexdigest()
        if raw != checkpoint.fields() or not hmac.compare_digest(signature, expected):
            raise CheckpointInvalid("its signature does not match the custody key")
        return checkpoint

    def advance_checkpoint(self, seq: int, entry_hash: str, sealed_from: int) -> None:
        """Record a new head (after its transaction committed); never moves back."""
        key = self.key()
        self.checkpoint_file.parent.mkdir(parents=True, exist_ok=True)
        lock_path = self.checkpoint_file.with_name(self.checkpoint_file.name + ".lock")
        with lock_path.open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # processes committing at once take turns
            try:
                current = self.read_checkpoint(key)
            except CheckpointInvalid:
                current = None  # verify reports it; a fresh head must not be lost meanwhile
            if current is not None and current.seq >= seq:
                return
            sealed_from = min(sealed_from, current.sealed_from) if current else sealed_from
            now = datetime.now(UTC).isoformat(timespec="seconds")
            fields = Checkpoint(seq, entry_hash, sealed_from, now).fields()
            body = {**fields, "mac": hmac.new(key, _canonical(fields), hashlib.sha256).hexdigest()}
            temporary = self.checkpoint_file.with_name(
                f".{self.checkpoint_file.name}.{os.getpid()}"
            )
            temporary.write_text(json.dumps(body, indent=1) + "\n", encoding="utf-8")
            os.replace(temporary, self.checkpoint_file)
