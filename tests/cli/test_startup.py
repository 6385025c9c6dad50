"""A command loads only what it runs: the CLI's help and `marsad status` start without the
libraries of extraction, language ID, dates, linking, exports, the web app or the workers
(their start-up time is in bench/bench_startup.py; here, which modules a new process loaded)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from marsad.config import Settings
from marsad.workspace import Workspace

# Libraries a command that does not run them must not load (each costs 0.05–1 s to import).
PIPELINE_LIBRARIES = (
    "trafilatura",
    "dateparser",
    "datasketch",
    "wordfreq",
    "numpy",
    "py3langid",
    "stix2",
    "followthemoney",
    "fastapi",
    "uvicorn",
    "celery",
    "playwright",
    "httpx",
    "weasyprint",
    "docx",
)
# What `marsad --help` needs is only typer: not even the database layer.
HELP_SPARES = (*PIPELINE_LIBRARIES, "sqlalchemy", "alembic", "lingua", "yaml")

REPORT_LOADED = """
import json, sys
{run}
wanted = json.loads(sys.argv[1])
print(json.dumps(sorted(name for name in wanted if name in sys.modules)))
"""


def loaded_in_new_process(run: str, wanted: tuple[str, ...], env: dict[str, str]) -> list[str]:
    """Which of `wanted` a fresh interpreter has imported after executing `run`."""
    result = subprocess.run(
        [sys.executable, "-c", REPORT_LOADED.format(run=run), json.dumps(wanted)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    loaded: list[str] = json.loads(result.stdout.splitlines()[-1])
    return loaded


def test_the_help_of_every_command_loads_no_pipeline_library() -> None:
    build_every_command = (
        "import typer\n"
        "from marsad.cli.app import app\n"
        "typer.main.get_command(app)  # every command's options and help, as --help reads them"
    )
    assert loaded_in_new_process(build_every_command, HELP_SPARES, dict(os.environ)) == []


def test_status_loads_no_pipeline_library_nor_alembic(workspace: Workspace) -> None:
    """It reads the schema's revision itself (store/migrate.py): Alembic loads only to migrate."""
    settings: Settings = workspace.settings
    env = {
        **os.environ,
        "MARSAD_HOME": str(settings.home),
        "MARSAD_DATABASE_URL": settings.database_url,
    }
    run_status = (
        "from marsad.cli.app import app\n"
        "app(['status'], standalone_mode=False)  # prints the table, returns instead of exiting"
    )
    assert loaded_in_new_process(run_status, (*PIPELINE_LIBRARIES, "alembic"), env) == []
