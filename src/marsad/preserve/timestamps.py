"""Trusted timestamps (RFC 3161) of the custody chain's head, for homes that have a TSA.

The custody key and checkpoint anchor the chain outside the database, but whoever holds the key
can still rewrite the log and re-sign it. A timestamp token from a Time-Stamping Authority
closes that: `marsad timestamp` sends the TSA the SHA-256 of "custody-entry:<seq>:<hash>" for
the chain's head and keeps the signed reply as `<seq>.tsr` in a folder beside the checkpoint.
The token proves that entry <seq> had that hash no later than the TSA's time, so `marsad
verify` finds any later rewrite of entries up to it, whoever signs it. Tokens are checked
against the log, their message imprint and (with MARSAD_CUSTODY_TSA_ROOTS) the TSA's
certificate chain. rfc3161-client does the ASN.1 and the signature checks.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from marsad.config import Setting, Settings
from marsad.errors import MarsadError
from marsad.preserve.seal import CustodySeal
from marsad.store.models import CustodyEntry

if TYPE_CHECKING:
    from cryptography.x509 import Certificate
    from rfc3161_client import TimeStampResponse

TOKEN_SUFFIX = ".tsr"
MAX_REPLY_BYTES = 1 << 20  # a TSA reply is a few KB; more is not a reply
TSA_TIMEOUT_SECONDS = 30.0

CUSTODY_TSA_URL = Setting(
    "custody_tsa_url",
    None,
    "URL of an RFC 3161 Time-Stamping Authority; `marsad timestamp` asks it to stamp the "
    "custody chain's head. Unset: no trusted timestamps.",
)
CUSTODY_TSA_ROOTS = Setting(
    "custody_tsa_roots",
    None,
    "PEM file of the TSA's root certificate(s); `marsad verify` checks each timestamp's "
    "signature chain against it (without it only the stamped hashes are checked).",
)
CUSTODY_TIMESTAMPS = Setting(
    "custody_timestamps",
    None,
    "Folder of the TSA's timestamp tokens (<seq>.tsr); default: custody-timestamps/ beside "
    "the checkpoint file.",
)
TIMESTAMP_SETTINGS = (CUSTODY_TSA_URL, CUSTODY_TSA_ROOTS, CUSTODY_TIMESTAMPS)


class TimestampError(MarsadError):
    """The TSA could not be reached, refused, or answered with something that does not verify."""


def stamped_message(seq: int, entry_hash: str) -> bytes:
    """What a token vouches for: this entry of the chain had this hash."""
    return f"custody-entry:{seq}:{entry_hash}".encode()


@dataclass(frozen=True)
class StampedHead:
    seq: int
    stamped_at: datetime
    token_file: Path


@dataclass(frozen=True)
class TimestampFolder:
    folder: Path
    roots_file: Path | None

    @classmethod
    def for_settings(cls, settings: Settings, seal: CustodySeal) -> TimestampFolder:
        folder = settings.value_of(CUSTODY_TIMESTAMPS) or (
            seal.checkpoint_file.parent / "custody-timestamps"
        )
        roots = settings.value_of(CUSTODY_TSA_ROOTS)
        return cls(
            Path(folder).expanduser().resolve(),
            Path(roots).expanduser().resolve() if roots else None,
        )

    def tokens(self) -> Iterator[tuple[int, Path]]:
        """(seq, token file), oldest entry first; files not named <seq>.tsr are not tokens."""
        if not self.folder.is_dir():
            return
        found = []
        for path in self.folder.iterdir():
            if path.suffix == TOKEN_SUFFIX and path.stem.isdigit():
                found.append((int(path.stem), path))
        yield from sorted(found)

    def save(self, seq: int, reply: bytes) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{seq}{TOKEN_SUFFIX}"
        temporary = self.folder / f".{seq}{TOKEN_SUFFIX}.{os.getpid()}"
        temporary.write_bytes(reply)
        os.replace(temporary, path)
        return path

    def roots(self) -> list[Certificate]:
        """The trusted roots, empty when none are configured."""
        if self.roots_file is None:
            return []
        from cryptography import x509

        try:
            return list(x509.load_pem_x509_certificates(self.roots_file.read_bytes()))
        except (OSError, ValueError) as error:
            raise TimestampError(
                f"cannot read the TSA roots {self.roots_file} (MARSAD_CUSTODY_TSA_ROOTS): {error}"
            ) from None

    def check_signature(
        self, token: TimeStampResponse, message: bytes, nonce: int | None = None
    ) -> None:
        """Raise TimestampError unless the TSA granted the token and (with roots configured) it
        is signed by a certificate chaining to them, over `message`."""
        from rfc3161_client import PKIStatus, VerificationError, VerifierBuilder

        if PKIStatus(token.status) != PKIStatus.GRANTED:
            raise TimestampError(f"the TSA did not grant the timestamp (status {token.status})")
        roots = self.roots()
        if not roots:
            return
        builder = VerifierBuilder(nonce=nonce)
        for root in roots:
            builder = builder.add_root_certificate(root)
        try:
            builder.build().verify_message(token, message)
        except VerificationError as error:
            raise TimestampError(f"its signature does not verify: {error}") from None


def stamps(token: TimeStampResponse, message: bytes) -> bool:
    """Whether the token's message imprint is the SHA-256 of `message`."""
    return bool(token.tst_info.message_imprint.message == hashlib.sha256(message).digest())


def decode_reply(data: bytes) -> TimeStampResponse:
    from rfc3161_client import decode_timestamp_response

    try:
        return decode_timestamp_response(data)
    except ValueError as error:
        raise TimestampError(f"not an RFC 3161 timestamp reply ({error})") from None


def _head(session: Session) -> CustodyEntry:
    head = session.scalars(select(CustodyEntry).order_by(CustodyEntry.seq.desc()).limit(1)).first()
    if head is None:
        raise TimestampError("the custody log is empty: there is nothing to stamp yet")
    return head


def stamp_head(session: Session, settings: Settings, seal: CustodySeal) -> StampedHead:
    """Ask the TSA to stamp the chain's head; keep its token once it checks out."""
    from rfc3161_client import HashAlgorithm, TimestampRequestBuilder

    url = settings.value_of(CUSTODY_TSA_URL)
    if not url:
        raise TimestampError("no TSA configured: set MARSAD_CUSTODY_TSA_URL")
    head = _head(session)
    message = stamped_message(head.seq, head.entry_hash)
    request = TimestampRequestBuilder().data(message).hash_algorithm(HashAlgorithm.SHA256).build()
    reply = _post(url, request.as_bytes())
    token = decode_reply(reply)
    if not stamps(token, message):
        raise TimestampError(f"the TSA at {url} stamped another hash than the one sent")
    folder = TimestampFolder.for_settings(settings, seal)
    folder.check_signature(token, message, nonce=request.nonce)
    return StampedHead(head.seq, token.tst_info.gen_time, folder.save(head.seq, reply))


def _post(url: str, body: bytes) -> bytes:
    """The TSA is the operator's own choice (a setting), so it is not held to the collector's
    public-address rule; its reply is still capped in time and size."""
    headers = {"Content-Type": "application/timestamp-query"}
    try:
        with (
            httpx.Client(timeout=TSA_TIMEOUT_SECONDS) as client,
            client.stream("POST", url, content=body, headers=headers) as response,
        ):
            if response.status_code != 200:
                raise TimestampError(f"the TSA at {url} answered HTTP {response.status_code}")
            reply = b""
            for chunk in response.iter_bytes():
                reply += chunk
                if len(reply) > MAX_REPLY_BYTES:
                    raise TimestampError(f"the TSA at {url} sent over {MAX_REPLY_BYTES:,} bytes")
            return reply
    except httpx.HTTPError as error:
        raise TimestampError(f"cannot reach the TSA at {url}: {error}") from None


def timestamp_findings(
    session: Session, folder: TimestampFolder
) -> Iterator[tuple[str, str | None]]:
    """For each kept token: (subject, problem or None). A token whose entry is gone or changed
    proves the log was cut or rewritten after the token's time."""
    for seq, path in folder.tokens():
        yield f"timestamp {path.name}", _token_problem(session, folder, seq, path)


def _token_problem(session: Session, folder: TimestampFolder, seq: int, path: Path) -> str | None:
    try:
        token = decode_reply(path.read_bytes())
    except (OSError, TimestampError) as error:
        return f"not a valid timestamp of entry {seq}: {error}"
    when = token.tst_info.gen_time.isoformat(timespec="seconds")
    entry = session.get(CustodyEntry, seq)
    if entry is None:
        return f"custody log cut: the TSA vouched for entry {seq} at {when}"
    message = stamped_message(seq, entry.entry_hash)
    if not stamps(token, message):
        return (
            f"custody log rewritten: entry {seq} no longer has the hash the TSA stamped at {when}"
        )
    try:
        folder.check_signature(token, message)
    except TimestampError as error:
        return f"not a valid timestamp of entry {seq}: {error}"
    return None
