"""`marsad stories` as a user runs it."""

from pathlib import Path

from tests.cli.test_cli import home, marsad  # noqa: F401  (home is a fixture)
from tests.cluster.test_stories import OTHER, STATEMENT


def page(text: str, day: str) -> str:
    meta = f'<meta property="article:published_time" content="{day}T09:00:00+00:00">'
    return f"<html><head>{meta}<title>t</title></head><body><p>{text}</p></body></html>"


def test_stories_lists_copies_in_the_order_they_appeared(home: Path, tmp_path: Path) -> None:  # noqa: F811
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "a-repost.html").write_text(page("🔴 " + STATEMENT + " @desk", "2026-10-02"), "utf-8")
    (folder / "b-original.html").write_text(page(STATEMENT, "2026-10-01"), "utf-8")
    (folder / "c-other.html").write_text(page(OTHER, "2026-10-01"), "utf-8")
    marsad(home, "ingest", str(folder), "--source", "mirror")
    listing = marsad(home, "stories").stdout
    assert "1 stories" in listing and "2026-10-01" in listing
    wrong = marsad(home, "stories", "--since", "last week", check=False)
    assert wrong.returncode == 1 and "YYYY-MM-DD" in wrong.stderr
    unknown = marsad(home, "stories", "--entity", "Nobody", check=False)
    assert unknown.returncode == 1 and "no entity is named 'Nobody'" in unknown.stderr
