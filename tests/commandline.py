"""`marsad` run as a user runs it — a real process with its own environment — against the
home and database of a test's workspace."""

from __future__ import annotations

import os
import subprocess
import sys

from marsad.config import Settings


def marsad_for(
    settings: Settings, *args: str, check: bool = True, extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `marsad ARGS` on the workspace of `settings` (its home and its database URL), with
    `extra_env` (other MARSAD_* settings) on top."""
    env = {**os.environ, "MARSAD_HOME": str(settings.home), "COLUMNS": "200", **(extra_env or {})}
    env["MARSAD_DATABASE_URL"] = settings.database_url
    result = subprocess.run(
        [sys.executable, "-m", "marsad", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"marsad {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def marsad_here(settings: Settings, *args: str) -> str:
    """`marsad ARGS` in this process (the same app as `python -m marsad`, without the second a
    new process takes to start) on the workspace of `settings`; returns what it printed."""
    from typer.testing import CliRunner

    from marsad.cli.app import app

    env = {"MARSAD_HOME": str(settings.home), "MARSAD_DATABASE_URL": settings.database_url}
    result = CliRunner(env={**env, "COLUMNS": "200"}).invoke(app, list(args))
    if result.exit_code != 0:
        raise AssertionError(f"marsad {' '.join(args)} failed:\n{result.output}")
    return result.stdout
