"""Start-up cost of `marsad` commands: each run is a new Python process, as a user's command is.

Measured, each command `--runs` times (wall seconds: minimum and median; CPU seconds, user +
system of the process: median; the machine may be busy, and CPU time is what a busy machine
disturbs least):
  marsad --version          the root command only
  marsad --help             every command's help line (no database, no stage)
  marsad status             counts on a fresh home made by `marsad init` (not timed)
against named baselines in the same run:
  python                    `python -c pass`: the interpreter alone, the floor of any command
  import typer              `python -c "import typer"`: the least any typer CLI loads
  typer app --help          a one-command typer app printing its help: what rendering help
                            loads (rich, markdown-it), the floor for `marsad --help`
With `--compare-src DIR` (another checkout's src/, e.g. main from before a change) each command
also runs on that code, so before and after come from one run at one machine load.
Target: `marsad --help` and `marsad status` at most 0.3 s.

    .venv/bin/python bench/bench_startup.py [--runs 7] [--compare-src ../main/src]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
TYPER_APP_HELP = (
    "import typer; app = typer.Typer(); app.command()(lambda name='': None); app(['--help'])"
)
BASELINES = {
    "python": ["-c", "pass"],
    "import typer": ["-c", "import typer"],
    "typer app --help": ["-c", TYPER_APP_HELP],
}
COMMANDS = {
    "marsad --version": ["-m", "marsad", "--version"],
    "marsad --help": ["-m", "marsad", "--help"],
    "marsad status": ["-m", "marsad", "status"],
}


@dataclass(frozen=True)
class Timing:
    wall_min: float
    wall_median: float
    cpu_median: float


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_process(arguments: Sequence[str], env: dict[str, str], runs: int) -> Timing:
    walls, cpus = [], []
    for _ in range(runs):
        cpu_before, started = children_cpu(), time.perf_counter()
        subprocess.run([sys.executable, *arguments], env=env, check=True, stdout=subprocess.DEVNULL)
        walls.append(time.perf_counter() - started)
        cpus.append(children_cpu() - cpu_before)
    return Timing(min(walls), statistics.median(walls), statistics.median(cpus))


def environment(src: Path, home: Path) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(src), "MARSAD_HOME": str(home), "COLUMNS": "100"}
    env.pop("MARSAD_DATABASE_URL", None)  # a fresh SQLite home, whatever the shell points at
    return env


def fresh_home(src: Path, folder: Path) -> dict[str, str]:
    env = environment(src, folder / "home")
    subprocess.run(
        [sys.executable, "-m", "marsad", "init"], env=env, check=True, stdout=subprocess.DEVNULL
    )
    return env


def line(label: str, timing: Timing) -> str:
    return (
        f"  {label:<34} wall min {timing.wall_min:6.3f} s  median {timing.wall_median:6.3f} s"
        f"  CPU {timing.cpu_median:6.3f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--compare-src", type=Path, help="another checkout's src/ to time too")
    options = parser.parse_args()
    trees = {"this tree": SRC}
    if options.compare_src:
        trees["compared"] = options.compare_src.resolve()
    load = os.getloadavg()
    print(f"{options.runs} runs each; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    with tempfile.TemporaryDirectory() as folder:
        print("baselines")
        env = environment(SRC, Path(folder) / "unused")
        for label, arguments in BASELINES.items():
            print(line(label, time_process(arguments, env, options.runs)))
        for name, src in trees.items():
            print(f"{name} ({src})")
            env = fresh_home(src, Path(folder) / name.replace(" ", "-"))
            for label, arguments in COMMANDS.items():
                print(line(label, time_process(arguments, env, options.runs)))
    print(f"load average after: {' '.join(f'{value:.2f}' for value in os.getloadavg())}")


if __name__ == "__main__":
    main()
