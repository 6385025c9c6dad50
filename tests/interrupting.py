"""Run `marsad ARGS` in this process and send it SIGTERM at chosen points of its work, so the
signal lands exactly there on every run (a timer lands somewhere different each time).

    python tests/interrupting.py [--kill-group] POINT=N [POINT=N ...] -- ARGS...

`--kill-group` sends SIGKILL to the whole process group instead (a worker and its children
dying at once, as under `kill -9`); forked children count their own points.

Points (N counts from 1):
- `after-commit`: inside SQLAlchemy's Nth commit, once the database has committed and before
  the session has finished (the race that surfaced as "This transaction is closed");
- `before-commit`: inside the Nth commit, before it reaches the database;
- `flush`: at the Nth flush, inside a capture's or a stage's unit of work;
- `stage.NAME`: inside stage NAME's `process`, on the Nth document it reads;
- `rollback`: inside the Nth rollback (a second signal while the first one's unit rolls back).
"""

from __future__ import annotations

import os
import signal
import sys
from collections import Counter
from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from marsad.cli.app import main
from marsad.pipeline.registry import StageRegistry

INTERRUPTING = __file__  # run as a script: `python INTERRUPTING POINT=N ... -- ARGS`

SESSION_EVENTS = {
    "after-commit": "after_commit",
    "before-commit": "before_commit",
    "flush": "before_flush",
    "rollback": "after_soft_rollback",
}


def _terminate() -> None:
    os.kill(os.getpid(), signal.SIGTERM)


def _kill_group() -> None:
    os.killpg(os.getpgrp(), signal.SIGKILL)


def _signal_at(points: dict[str, int], send: Callable[[], None]) -> Callable[[str], None]:
    seen: Counter[str] = Counter()

    def reached(point: str) -> None:
        seen[point] += 1
        if seen[point] == points.get(point):
            send()

    return reached


def _watch_stages(points: dict[str, int], reached: Callable[[str], None]) -> None:
    load = StageRegistry.from_entry_points.__func__  # type: ignore[attr-defined]

    def from_entry_points(cls: type[StageRegistry]) -> StageRegistry:
        registry: StageRegistry = load(cls)
        for point in points:
            if point.startswith("stage."):
                stage = registry.get(point.removeprefix("stage."))
                process = stage.process

                def watched(context: Any, _process: Any = process, _point: str = point) -> None:
                    reached(_point)
                    _process(context)

                stage.process = watched  # type: ignore[method-assign]
        return registry

    StageRegistry.from_entry_points = classmethod(from_entry_points)  # type: ignore[assignment,method-assign]


def run(arguments: list[str]) -> None:
    split = arguments.index("--")
    options = [argument for argument in arguments[:split] if argument.startswith("--")]
    points = {
        name: int(count)
        for name, count in (p.split("=") for p in arguments[:split] if p not in options)
    }
    reached = _signal_at(points, _kill_group if "--kill-group" in options else _terminate)
    for point, event_name in SESSION_EVENTS.items():
        if point in points:
            event.listen(Session, event_name, lambda *_args, _p=point: reached(_p))
    _watch_stages(points, reached)
    sys.argv = ["marsad", *arguments[split + 1 :]]
    main()


if __name__ == "__main__":
    run(sys.argv[1:])
