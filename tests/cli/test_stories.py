"""`marsad stories` as a user runs it."""

from pathlib import Path

from marsad.config import Settings
from tests.cli.test_cli import home  # noqa: F401  (a fixture: a home on each backend)
from tests.cluster.test_stories import OTHER, STATEMENT
from tests.commandline import marsad_for


def page(text: str, day: str) -> str:
    meta = f'<meta property="article:published_time" content="{day}T09:00:00+00:00">'
    return f"<html><head>{meta}<title>t</title></head><body><p>{text}</p></body></html>"


def test_stories_lists_copies_in_the_order_they_appeared(home: Settings, tmp_path: Path) -> None:  # noqa: F811
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "a-repost.html").write_text(page("🔴 " + STATEMENT + " @desk", "2026-10-02"), "utf-8")
    (folder / "b-original.html").write_text(page(STATEMENT, "2026-10-01"), "utf-8")
    (folder / "c-other.html").write_text(page(OTHER, "2026-10-01"), "utf-8")
    marsad_for(home, "ingest", str(folder), "--source", "mirror")
    listing = marsad_for(home, "stories").stdout
    assert "1 stories" in listing and "2026-10-01" in listing
    wrong = marsad_for(home, "stories", "--since", "last week", check=False)
    assert wrong.returncode == 1 and "YYYY-MM-DD" in wrong.stderr
    unknown = marsad_for(home, "stories", "--entity", "Nobody", check=False)
    assert unknown.returncode == 1 and "no entity is named 'Nobody'" in unknown.stderr
