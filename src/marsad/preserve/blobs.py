"""Content-addressed blob store: every captured byte string is kept once, under its SHA-256.

Blobs are written to a temporary file and renamed into place, so a crash or a full disk never
leaves a half-written blob under a valid key, and they are made read-only: evidence is
immutable. A write that fails (no space, over quota) raises EvidenceNotWritten after removing
its temporary file.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from marsad.errors import BlobMissing, EvidenceNotWritten
from marsad.preserve.durable import write_durably


@dataclass(frozen=True)
class StoredBlob:
    key: str
    sha256: str
    size: int


def blob_key_for(sha256: str) -> str:
    return f"sha256/{sha256[:2]}/{sha256[2:4]}/{sha256}"


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path_of(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if not path.is_relative_to(self.root.resolve()):
            raise BlobMissing(f"blob key escapes the blob store: {key!r}")
        return path

    def put(self, data: bytes) -> StoredBlob:
        sha256 = hashlib.sha256(data).hexdigest()
        key = blob_key_for(sha256)
        target = self.path_of(key)
        if not target.exists():
            try:
                self._write(target, data)
            except OSError as error:
                what = f"blob {key} in {self.root}"
                raise EvidenceNotWritten.from_os_error(error, what) from error
        return StoredBlob(key=key, sha256=sha256, size=len(data))

    @staticmethod
    def _write(target: Path, data: bytes) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        try:
            with os.fdopen(descriptor, "wb", buffering=0) as handle:
                write_durably(handle, data)
            os.chmod(temporary, 0o444)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def read(self, key: str | None) -> bytes:
        if not key:
            raise BlobMissing("this capture has no stored content (it failed or was refused)")
        try:
            return self.path_of(key).read_bytes()
        except FileNotFoundError:
            raise BlobMissing(f"blob {key} is missing from {self.root}") from None

    def exists(self, key: str) -> bool:
        return self.path_of(key).is_file()
