import hashlib
import os
from pathlib import Path

import pytest

from marsad.errors import BlobMissing
from marsad.preserve.blobs import BlobStore


def test_same_bytes_stored_once_under_their_sha256(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    data = "بيان صادر عن المكتب الإعلامي".encode()
    first, second = store.put(data), store.put(data)
    assert first == second
    assert first.sha256 == hashlib.sha256(data).hexdigest()
    assert first.key == f"sha256/{first.sha256[:2]}/{first.sha256[2:4]}/{first.sha256}"
    assert store.read(first.key) == data
    assert len([p for p in tmp_path.rglob("*") if p.is_file()]) == 1


def test_blobs_are_read_only_and_leave_no_temporary_files(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    blob = store.put(b"evidence")
    path = store.path_of(blob.key)
    assert not os.stat(path).st_mode & 0o222
    assert not list(tmp_path.rglob(".incoming-*"))


def test_missing_blob_and_escaping_key_are_errors(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "blobs")
    with pytest.raises(BlobMissing, match="missing"):
        store.read("sha256/00/00/" + "0" * 64)
    with pytest.raises(BlobMissing, match="no stored content"):
        store.read(None)
    with pytest.raises(BlobMissing, match="escapes"):
        store.read("../../etc/passwd")


def test_empty_content_is_a_valid_blob(tmp_path: Path) -> None:
    blob = BlobStore(tmp_path).put(b"")
    assert blob.size == 0
    assert blob.sha256 == hashlib.sha256(b"").hexdigest()
