from pathlib import Path

import pytest

from marsad.collect.files import expand_paths, read_file
from marsad.errors import CaptureNotFound, CaptureTooLarge


def test_folder_expands_to_its_files_in_stable_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    for name in ("b/2.html", "a.html", ".hidden", "Thumbs.db"):
        (tmp_path / name).write_text("x")
    assert [p.relative_to(tmp_path).as_posix() for p in expand_paths(tmp_path)] == [
        "a.html",
        "b/2.html",
    ]


def test_file_is_read_with_its_url_and_type(tmp_path: Path) -> None:
    page = tmp_path / "بيان.html"
    page.write_text("<p>نص</p>", encoding="utf-8")
    raw = read_file(page, max_bytes=1000)
    assert raw.url == page.resolve().as_uri()
    assert raw.content_type == "text/html"
    assert raw.data == "<p>نص</p>".encode()


def test_file_over_the_cap_is_refused_without_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "big.bin"
    with big.open("wb") as handle:
        handle.truncate(2048)  # sparse: size without content
    with pytest.raises(CaptureTooLarge, match="over the capture limit of 1,024"):
        read_file(big, max_bytes=1024)


def test_missing_path_and_folder_are_not_found(tmp_path: Path) -> None:
    with pytest.raises(CaptureNotFound, match="no such file"):
        read_file(tmp_path / "absent.html", max_bytes=10)
    with pytest.raises(CaptureNotFound, match="not a regular file"):
        read_file(tmp_path, max_bytes=10)


def test_a_link_leading_out_of_an_ingested_folder_is_not_followed(tmp_path: Path) -> None:
    secret = tmp_path / "elsewhere" / "web-secret"
    secret.parent.mkdir()
    secret.write_text("do not read me", encoding="utf-8")
    folder = tmp_path / "inbox"
    (folder / "sub").mkdir(parents=True)
    (folder / "page.html").write_text("<p>بيان</p>", encoding="utf-8")
    (folder / "sub" / "same.html").symlink_to(folder / "page.html")  # inside: kept
    (folder / "secret.html").symlink_to(secret)
    (folder / "away").symlink_to(secret.parent, target_is_directory=True)
    found = [path.relative_to(folder).as_posix() for path in expand_paths(folder)]
    assert found == ["page.html", "sub/same.html"]
