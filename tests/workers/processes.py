"""Real processes for the worker tests: a private Redis server, `marsad worker`, `marsad
scheduler` — started, waited on and killed like an operator would.

The Redis server is the machine's `redis-server` on a free port, so a test may stop and restart
it without touching the shared one on 6379.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from marsad.config import Settings
from tests.conftest import IN_CI
from tests.interrupting import INTERRUPTING
from tests.webserver import free_port


@dataclass
class RedisServer:
    port: int
    folder: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        # Append-only file: the queue survives a restart, as a production broker's must.
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--dir",
                str(self.folder),
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
                "--save",
                "",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self.answers, 10, "redis-server to start")

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as connection:
                connection.sendall(b"PING\r\n")
                return connection.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


@contextmanager
def private_redis(folder: Path) -> Iterator[RedisServer]:
    if shutil.which("redis-server") is None:
        message = "redis-server is not installed"
        if IN_CI:
            pytest.fail(message + " (required when CI=true)")
        pytest.skip(message)
    server = RedisServer(free_port(), folder)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {seconds} s waiting for {what}")


# libpq's application name of every connection a `marsad` process of these tests opens, so a
# test can tell them from its own (pg_stat_activity.application_name).
WORKER_APPLICATION = "marsad-test-worker"


def worker_env(settings: Settings, broker_url: str, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "PGAPPNAME": WORKER_APPLICATION,
        "MARSAD_HOME": str(settings.home),
        "MARSAD_DATABASE_URL": settings.database_url,
        "MARSAD_BROKER_URL": broker_url,
        "MARSAD_FETCH_ALLOW_LOOPBACK": "1",
        "MARSAD_LOG_LEVEL": "WARNING",
    }
    env.update({f"MARSAD_{key.upper()}": value for key, value in extra.items()})
    return env


class MarsadProcess:
    """`marsad ARGS` running in its own process group (so kill -9 takes its children too)."""

    def __init__(
        self, env: dict[str, str], log: Path, *args: str, kill_9_at: str | None = None
    ) -> None:
        """`kill_9_at` ("POINT=N", see tests/interrupting.py): the process group kills itself
        with SIGKILL when any of its processes reaches that point of its work."""
        self.log_path = log
        self._log = log.open("ab")
        marsad = ["-m", "marsad"]
        if kill_9_at is not None:
            marsad = [str(INTERRUPTING), "--kill-group", kill_9_at, "--"]
        self.process = subprocess.Popen(
            [sys.executable, *marsad, *args],
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_killed(self, seconds: float) -> None:
        """Wait for a process started with `kill_9_at` to have killed itself."""
        self.process.wait(seconds)
        assert self.process.returncode == -signal.SIGKILL, self.output()

    def stop(self) -> int:
        """SIGTERM (warm shutdown: the task at hand finishes), then wait."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        self._log.close()
        return self.process.returncode

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")
