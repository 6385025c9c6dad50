"""Server CPU per page: what one search page and one document page cost `marsad serve`.

A fresh SQLite home is filled with --documents generated Arabic documents (bench_search's
generator, with the search index), an analyst account is made, and `marsad serve --workers 1`
starts on 127.0.0.1 (uvicorn, the middleware, session check, queries and templates as
deployed). One signed-in client on a keep-alive connection (bench_load's) requests each page
--requests times after a warm-up, one at a time, and the CPU time of the server process is read
around every request from the kernel's per-thread run-time counters (`/proc/PID/task/*/
schedstat`, nanoseconds), so the client's own work is not counted:
  baseline  the sign-in page (`/login`): the server's fixed cost per request (HTTP parsing,
            middleware, session, one template), which every figure below includes too
  marsad    the search page (`/search?q=…`, bench_search's queries: facets, snippets, page) and
            a random document page (`/documents/N`)
Figures: median and p95 ms of server CPU per request. Target: search ≤ 4 ms, document ≤ 2 ms.
`--profile search|document` prints the cProfile of that page's requests instead, with the app
in this process (FastAPI's TestClient: its own machinery shows in the profile too).

    .venv/bin/python bench/bench_pages.py [--documents 20000] [--requests 200] [--profile PAGE]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import statistics
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).parents[1]))
sys.path.insert(0, str(Path(__file__).parent))

from tests.webserver import free_port

from bench_load import PASSWORD, SERVE, USERNAME, Analyst, wait_until_listening
from bench_search import QUERIES, fill, percentile
from marsad.config import Settings
from marsad.web.accounts import create_user
from marsad.workspace import Workspace

WARM_UP = 20  # requests per page before counting: templates compiled, connections opened


def page_urls(page: str, documents: int, rng: random.Random) -> Callable[[], str]:
    if page == "search":
        return lambda: f"/search?q={quote(rng.choice(QUERIES))}"
    if page == "document":
        return lambda: f"/documents/{rng.randint(1, documents)}"
    return lambda: "/login"


def cpu_seconds(pid: int) -> float:
    """CPU time every thread of the process has run so far (the threads alive now: uvicorn's
    loop and the request threadpool, which live as long as the server)."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except (FileNotFoundError, ProcessLookupError):  # a thread that just ended
            continue
    return total / 1e9


def server_ms_per_request(
    analyst: Analyst, pid: int, next_url: Callable[[], str], requests: int
) -> list[float]:
    for _ in range(WARM_UP):
        analyst.get(next_url())
    costs = []
    for _ in range(requests):
        url = next_url()
        began = cpu_seconds(pid)
        analyst.get(url)  # returns once the whole answer is read: the server's work is done
        costs.append((cpu_seconds(pid) - began) * 1000)
    return costs


def measure(home: Path, documents: int, requests: int) -> None:
    port = free_port()
    server = subprocess.Popen(
        [*SERVE, "--port", str(port), "--workers", "1"],
        env={**os.environ, "MARSAD_HOME": str(home)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_listening(f"http://127.0.0.1:{port}", server)
        analyst = Analyst(port)
        rng = random.Random(11)
        print(f"server CPU ms per request (marsad serve --workers 1), {requests} requests each")
        for label, page in (
            ("baseline: sign-in page", "login"),
            ("marsad: search page", "search"),
            ("marsad: document page", "document"),
        ):
            costs = server_ms_per_request(
                analyst, server.pid, page_urls(page, documents, rng), requests
            )
            print(
                f"  {label:<24} median {statistics.median(costs):6.2f}"
                f"   p95 {percentile(costs, 0.95):6.2f}"
            )
        analyst.close()
    finally:
        server.terminate()
        server.wait(30)


def profile(workspace: Workspace, page: str, documents: int, requests: int) -> None:
    from fastapi.testclient import TestClient  # only here: the figures use a real server

    from marsad.web.app import create_app

    profiler = cProfile.Profile()
    # The app answers in threads of its own (the event loop's, the request threadpool's):
    # each thread started from now on profiles itself into the one profiler.
    threading.setprofile(lambda *_: (sys.setprofile(None), profiler.enable()))
    with TestClient(create_app(workspace)) as client:
        account = {"username": USERNAME, "password": PASSWORD}
        signed_in = client.post("/api/v1/session", json=account)
        if signed_in.status_code != 200:
            raise SystemExit(f"sign-in answered {signed_in.status_code}")
        next_url = page_urls(page, documents, random.Random(11))
        for _ in range(requests):
            client.get(next_url())
    profiler.disable()
    sort = os.environ.get("PROFILE_SORT", "cumulative")
    pstats.Stats(profiler).sort_stats(sort).print_stats(int(os.environ.get("PROFILE_TOP", "50")))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--documents", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--profile", choices=("search", "document"))
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder) / "home"
        workspace, _before, _after = Workspace.initialise(
            Settings.from_env({"MARSAD_HOME": str(home)})
        )
        seconds = fill(workspace, options.documents, random.Random(7))
        print(f"{options.documents} documents stored and indexed in {seconds:.0f} s")
        with workspace.database.session() as session:
            create_user(session, USERNAME, PASSWORD, "analyst")
        if options.profile:
            profile(workspace, options.profile, options.documents, options.requests)
        workspace.close()
        if not options.profile:
            measure(home, options.documents, options.requests)


if __name__ == "__main__":
    main()
