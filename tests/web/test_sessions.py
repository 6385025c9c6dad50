"""The home's web secret: made once, whole, even when several processes start at once."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from marsad.web.sessions import SECRET_FILE, web_secret


def _secret_of(home: str) -> bytes:
    return web_secret(Path(home))


def test_processes_starting_at_once_share_one_whole_secret(tmp_path: Path) -> None:
    """`marsad serve --workers N` on a new home: no process may read a half-written file."""
    for round_number in range(5):
        home = tmp_path / f"home-{round_number}"
        with multiprocessing.get_context("fork").Pool(6) as pool:
            secrets = pool.map(_secret_of, [str(home)] * 12)
        assert len(set(secrets)) == 1 and len(secrets[0]) == 64
        assert [path.name for path in home.iterdir()] == [SECRET_FILE]
        assert (home / SECRET_FILE).stat().st_mode & 0o777 == 0o600
