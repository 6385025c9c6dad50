"""Stopping a command cleanly: what SIGTERM and SIGINT (Ctrl-C) do, in one place.

The contract:
- A signal raises `KeyboardInterrupt` in the main thread at the next point that is not
  *shielded*; the CLI turns it into exit status 130 and one line.
- The store shields the ends of every unit of work (commit, rollback, close), so a signal never
  cuts one half-way: a unit either committed before the interrupt or it is rolled back, and the
  database driver is never left mid-commit (which surfaced as "This transaction is closed").
- Anything that fails after a signal was received (a driver call the signal cut short) is the
  interrupt's doing and is reported as the interrupt, never as an unexpected error.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class _State:
    received = False  # a signal arrived during this process's life
    pending = False  # it arrived inside a shield and waits for the shield's end
    shield_depth = 0  # main thread only: signal handlers run there and nowhere else


def install() -> None:
    """Make SIGTERM and SIGINT interrupt the command (and respect shields)."""
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, _on_signal)


def received() -> bool:
    return _State.received


def _on_signal(_signum: int, _frame: FrameType | None) -> None:
    _State.received = True
    if _State.shield_depth:
        _State.pending = True
        return
    raise KeyboardInterrupt


@contextmanager
def shielded() -> Iterator[None]:
    """Delay a signal until the block ends (then raise it), so the block runs whole."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _State.shield_depth += 1
    try:
        yield
    finally:
        _State.shield_depth -= 1
        if _State.shield_depth == 0 and _State.pending:
            _State.pending = False
            raise KeyboardInterrupt
