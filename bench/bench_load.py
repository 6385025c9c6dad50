"""The web workbench under load: many analysts at once against a real `marsad serve`.

A fresh SQLite home is filled with --documents generated Arabic documents (bench_search's
generator, with the search index), an analyst account is made, and `marsad serve --workers W`
starts on 127.0.0.1. Then a bounded run — every client makes --requests requests and stops —
alternates the search page (`/search?q=…`, variant spellings) and a random document page
(`/documents/N`). The clients run in --client-processes processes of their own (threads with a
keep-alive `http.client` connection each: a few tens of microseconds of CPU per request, so the
load generator does not take the server's cores), never in the bench's main process:
  baseline  one client, the same requests one after another (the server unloaded)
  marsad    --clients concurrent clients, closed loop: each sends its next request as soon as
            the last one is answered, with no pause (the hardest case, and the honest figure)
  analysts  with --think S: as many clients, each pausing a random 0–2·S seconds between
            requests like a reader (an extra row; the closed-loop row stays the figure)
Figures: requests/s and p50/p95 ms per page. Target: p95 < 200 ms with 50 clients at 100k.

Measured on the development machine (2 cores shared with other work: ±30%), 100k documents,
p50 / p95 ms:
  before: one uvicorn process (h11, BaseHTTPMiddleware, four facet queries, a per-character
  normaliser); 50 httpx threads in the bench's own process
    baseline: one client        70 req/s   search  17 / 57     document   6 / 27
    marsad: 50 clients          42 req/s   search 743 / 2485   document 544 / 1157
  after: --workers 2 (httptools, plain ASGI guard, facets in one statement, fewer queries)
    baseline: one client        87–135 req/s  search  12–15 / 13–29    document  4–6 / 5–10
    marsad: 50 clients, no pause 56–93 req/s  search 367–613 / 751–2883  document 190–384 / 442–655
    analysts: 50, ~1 s pauses   31 req/s      search  28 / 312         document  11 / 69
    (--workers 1, 50 clients: 51 req/s, search 895 / 2619, document 518 / 855)
  The closed-loop target (p95 < 200 ms) is not met: it needs ~500 req/s, under 4 ms of CPU per
  request on two cores; a search costs ~4 ms of server CPU, a document page ~2 (deployment.md).

    .venv/bin/python bench/bench_load.py [--documents 100000] [--clients 50] [--requests 20]
        [--workers 2] [--client-processes 2] [--think 0]
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).parents[1]))
sys.path.insert(0, str(Path(__file__).parent))
from tests.webserver import free_port

from bench_search import QUERIES, fill, percentile
from marsad.config import Settings
from marsad.web.accounts import create_user
from marsad.workspace import Workspace

USERNAME = "loadtest"
PASSWORD = "load-test-password-1"
PAGES = ("search", "document")
SERVE = (sys.executable, "-m", "marsad", "serve")


@dataclass(frozen=True)
class Load:
    """What each client of a run does: `requests` requests alternating the two pages, with a
    random pause of 0–2·`think` seconds after each (0: closed loop)."""

    port: int
    requests: int
    documents: int
    think: float = 0.0


@dataclass
class Timings:
    """Milliseconds per page, and the wall-clock span the requests took (time.time(), so spans
    from several processes on one machine combine)."""

    pages: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    began: float = float("inf")
    ended: float = 0.0

    def merge(self, other: Timings) -> None:
        for page, values in other.pages.items():
            self.pages[page].extend(values)
        self.began = min(self.began, other.began)
        self.ended = max(self.ended, other.ended)

    @property
    def count(self) -> int:
        return sum(len(values) for values in self.pages.values())


class Analyst:
    """One signed-in client on one keep-alive connection."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        body = f'{{"username": "{USERNAME}", "password": "{PASSWORD}"}}'
        self.connection.request(
            "POST", "/api/v1/session", body, {"Content-Type": "application/json"}
        )
        answer = self.connection.getresponse()
        answer.read()
        if answer.status != 200:
            raise SystemExit(f"sign-in answered {answer.status}")
        cookie = SimpleCookie(answer.getheader("Set-Cookie", ""))
        self.headers = {"Cookie": "; ".join(f"{k}={v.value}" for k, v in cookie.items())}

    def get(self, url: str) -> None:
        self.connection.request("GET", url, headers=self.headers)
        answer = self.connection.getresponse()
        answer.read()
        if answer.status != 200:
            raise SystemExit(f"{url} answered {answer.status}")

    def close(self) -> None:
        self.connection.close()


def one_client(load: Load, seed: int) -> Timings:
    rng = random.Random(seed)
    timings = Timings()
    analyst = Analyst(load.port)
    try:
        timings.began = time.time()
        for number in range(load.requests):
            if number % 2 == 0:
                page, url = "search", f"/search?q={quote(rng.choice(QUERIES))}"
            else:
                page, url = "document", f"/documents/{rng.randint(1, load.documents)}"
            began = time.perf_counter()
            analyst.get(url)
            timings.pages[page].append((time.perf_counter() - began) * 1000)
            if load.think:
                time.sleep(rng.uniform(0, 2 * load.think))
        timings.ended = time.time()
    finally:
        analyst.close()
    return timings


def client_group(load: Load, seeds: list[int]) -> Timings:
    """Runs in a client process: one thread per client, all started together."""
    results: list[Timings] = []
    lock = threading.Lock()

    def work(seed: int) -> None:
        found = one_client(load, seed)
        with lock:
            results.append(found)

    threads = [threading.Thread(target=work, args=(seed,)) for seed in seeds]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    merged = Timings()
    for found in results:
        merged.merge(found)
    if merged.count != load.requests * len(seeds):
        raise SystemExit(f"a client failed: {merged.count} of {load.requests * len(seeds)}")
    return merged


def run_clients(load: Load, clients: int, processes: int) -> Timings:
    """`clients` clients spread over `processes` processes (spawned, apart from this one)."""
    groups = [list(range(start, clients, processes)) for start in range(processes)]
    groups = [group for group in groups if group]
    with multiprocessing.get_context("spawn").Pool(len(groups)) as pool:
        found = pool.starmap(client_group, [(load, group) for group in groups])
    merged = Timings()
    for timings in found:
        merged.merge(timings)
    return merged


def report(label: str, timings: Timings) -> None:
    rate = timings.count / (timings.ended - timings.began)
    for page in PAGES:
        values = timings.pages[page]
        print(
            f"{label:<34}{page:<10}{rate:>8.1f}"
            f"{percentile(values, 0.5):>10.1f}{percentile(values, 0.95):>10.1f}",
            flush=True,
        )


def wait_until_listening(base: str, server: subprocess.Popen[bytes]) -> None:
    for _ in range(240):
        if server.poll() is not None:
            raise SystemExit(f"marsad serve ended with {server.returncode}")
        try:
            urllib.request.urlopen(base + "/login", timeout=1).close()
            return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.25)
    raise SystemExit("marsad serve did not start listening")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=20, help="per client")
    parser.add_argument(
        "--workers", type=int, default=2, help="marsad serve --workers (default: 2, the cores)"
    )
    parser.add_argument("--client-processes", type=int, default=2)
    parser.add_argument(
        "--think", type=float, default=0.0, help="also run analysts pausing ~S s (0: skip)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="marsad-load-") as temporary:
        home = Path(temporary) / "home"
        workspace, _, _ = Workspace.initialise(Settings.from_env({"MARSAD_HOME": str(home)}))
        seconds = fill(workspace, args.documents, random.Random(5))
        with workspace.database.session() as session:
            create_user(session, USERNAME, PASSWORD, "analyst")
        workspace.close()
        print(f"{args.documents:,} documents written and indexed in {seconds:.1f} s")
        port = free_port()
        server = subprocess.Popen(
            [*SERVE, "--port", str(port), "--workers", str(args.workers)],
            env={**os.environ, "MARSAD_HOME": str(home)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_until_listening(f"http://127.0.0.1:{port}", server)
            print(
                f"marsad serve --workers {args.workers}; clients in "
                f"{args.client_processes} processes of their own; {args.requests} requests each"
            )
            print(f"{'run':<34}{'page':<10}{'req/s':>8}{'p50 ms':>10}{'p95 ms':>10}")
            load = Load(port, args.requests, args.documents)
            # Warm-up (templates compiled, connections opened, pages cached), not reported.
            run_clients(Load(port, 10, args.documents), args.client_processes * 2, 2)
            baseline = Load(port, args.requests * 2, args.documents)
            report("baseline: one client", run_clients(baseline, 1, 1))
            timings = run_clients(load, args.clients, args.client_processes)
            report(f"marsad: {args.clients} clients, no pause", timings)
            if args.think:
                thinking = Load(port, args.requests, args.documents, args.think)
                timings = run_clients(thinking, args.clients, args.client_processes)
                report(f"analysts: {args.clients}, ~{args.think:g} s pauses", timings)
        finally:
            server.terminate()
            server.wait(30)


if __name__ == "__main__":
    main()
