"""`marsad users add|list|passwd` and `marsad serve`, run as a user runs them."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from marsad.config import Settings
from marsad.web.accounts import authenticate, create_user
from marsad.workspace import Workspace
from tests.commandline import marsad_for
from tests.webserver import free_port


def test_users_add_prints_a_password_once_and_stores_only_its_hash(
    workspace: Workspace,
) -> None:
    settings = workspace.settings
    added = marsad_for(settings, "users", "add", "Alice", "--role", "viewer").stdout
    password = re.search(r"password: (\S+)", added)
    assert password, added
    listed = marsad_for(settings, "users", "list").stdout
    assert "alice" in listed and "viewer" in listed and password.group(1) not in listed
    with workspace.database.session() as session:
        user = authenticate(session, "alice", password.group(1))
        assert user is not None and password.group(1) not in user.password_hash
        assert user.password_hash.startswith("$argon2id$")
    taken = marsad_for(settings, "users", "add", "alice", check=False)
    assert taken.returncode == 1 and "exists already" in taken.stderr
    changed = marsad_for(settings, "users", "passwd", "alice").stdout
    new_password = re.search(r"password: (\S+)", changed)
    assert new_password and new_password.group(1) != password.group(1)
    with workspace.database.session() as session:
        assert authenticate(session, "alice", password.group(1)) is None
        assert authenticate(session, "alice", new_password.group(1)) is not None


def test_serve_creates_the_first_admin_and_answers(workspace: Workspace) -> None:
    settings: Settings = workspace.settings
    port = free_port()
    env = {
        **os.environ,
        "MARSAD_HOME": str(settings.home),
        "MARSAD_DATABASE_URL": settings.database_url,
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "marsad", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        lines = [server.stdout.readline() for _ in range(2)]
        assert lines[0].strip() == f"Marsad web workbench: http://127.0.0.1:{port}/"
        credentials = re.search(r"user: (\S+)  password: (\S+)", lines[1])
        assert credentials, lines
        deadline = time.monotonic() + 90
        while True:
            try:
                answer = httpx.post(
                    f"http://127.0.0.1:{port}/api/v1/session",
                    json={"username": credentials.group(1), "password": credentials.group(2)},
                )
                break
            except httpx.ConnectError:
                assert time.monotonic() < deadline, "marsad serve did not start listening"
                time.sleep(0.2)
        assert answer.status_code == 200 and answer.json()["user"]["role"] == "admin"
        assert (settings.home / "web-secret").stat().st_mode & 0o077 == 0
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(20)
    again = marsad_for(settings, "users", "list").stdout
    assert again.count("admin") == 2  # one account, named admin, role admin


def _spawned_children(parent: int) -> list[int]:
    """Processes started by `parent` through multiprocessing's spawn (uvicorn's workers)."""
    children = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:  # ended meanwhile
            continue
        parent_of = int(stat.rsplit(")", 1)[1].split()[1])
        if parent_of == parent and b"spawn_main" in command:
            children.append(int(entry.name))
    return children


def test_serve_with_workers_runs_that_many_processes_sharing_sessions(
    workspace: Workspace,
) -> None:
    settings = workspace.settings
    with workspace.database.session() as session:
        create_user(session, "alice", "alice-password-1", "viewer")
    port = free_port()
    env = {
        **os.environ,
        "MARSAD_HOME": str(settings.home),
        "MARSAD_DATABASE_URL": settings.database_url,
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "marsad", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                signed = httpx.post(
                    f"{base}/api/v1/session",
                    json={"username": "alice", "password": "alice-password-1"},
                )
                break
            except httpx.ConnectError:
                assert time.monotonic() < deadline, "marsad serve --workers 2 did not listen"
                time.sleep(0.2)
        assert signed.status_code == 200
        assert len(_spawned_children(server.pid)) == 2
        # Each request on a new connection, taken by either process: the session is in the
        # database, so every one of them knows it.
        for _ in range(10):
            answer = httpx.get(f"{base}/api/v1/documents", cookies=signed.cookies)
            assert answer.status_code == 200, answer.text
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)
    assert _spawned_children(server.pid) == []
