"""The web workbench under load: many analysts at once against a real `marsad serve`.

A fresh SQLite home is filled with --documents generated Arabic documents (bench_search's
generator, with the search index), an analyst account is made, and `marsad serve` starts on
127.0.0.1. Then a bounded run — every client makes --requests requests and stops — alternates
the search page (`/search?q=…`, variant spellings) and a random document page (`/documents/N`):
  baseline  one client, the same requests one after another (the server unloaded)
  marsad    --clients concurrent clients (threads with their own signed-in httpx client)
Figures: requests/s and p50/p95 ms per page. Target: p95 < 200 ms with 50 clients at 100k.

    .venv/bin/python bench/bench_load.py [--documents 100000] [--clients 50] [--requests 20]
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parents[1]))
sys.path.insert(0, str(Path(__file__).parent))
from tests.webserver import free_port

from bench_search import QUERIES, fill, percentile
from marsad.config import Settings
from marsad.web.accounts import create_user
from marsad.workspace import Workspace

PASSWORD = "load-test-password-1"


def signed_in_client(base: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=30)
    answer = client.post("/api/v1/session", json={"username": "loadtest", "password": PASSWORD})
    answer.raise_for_status()
    return client


def one_client(base: str, requests: int, documents: int, seed: int) -> dict[str, list[float]]:
    rng = random.Random(seed)
    timings: dict[str, list[float]] = defaultdict(list)
    client = signed_in_client(base)
    try:
        for number in range(requests):
            if number % 2 == 0:
                page, url = "search", f"/search?q={rng.choice(QUERIES)}"
            else:
                page, url = "document", f"/documents/{rng.randint(1, documents)}"
            began = time.perf_counter()
            answer = client.get(url)
            timings[page].append((time.perf_counter() - began) * 1000)
            if answer.status_code != 200:
                raise SystemExit(f"{url} answered {answer.status_code}")
    finally:
        client.close()
    return timings


def run_clients(
    base: str, clients: int, requests: int, documents: int
) -> tuple[dict[str, list[float]], float]:
    results: list[dict[str, list[float]]] = []
    lock = threading.Lock()

    def work(seed: int) -> None:
        found = one_client(base, requests, documents, seed)
        with lock:
            results.append(found)

    threads = [threading.Thread(target=work, args=(seed,)) for seed in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - began
    merged: dict[str, list[float]] = defaultdict(list)
    for found in results:
        for page, values in found.items():
            merged[page].extend(values)
    return merged, seconds


def report(label: str, timings: dict[str, list[float]], seconds: float) -> None:
    total = sum(len(values) for values in timings.values())
    for page in ("search", "document"):
        values = timings[page]
        print(
            f"{label:<28}{page:<10}{total / seconds:>10.1f}"
            f"{percentile(values, 0.5):>10.1f}{percentile(values, 0.95):>10.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="marsad-load-") as temporary:
        home = Path(temporary) / "home"
        workspace, _, _ = Workspace.initialise(Settings.from_env({"MARSAD_HOME": str(home)}))
        seconds = fill(workspace, args.documents, random.Random(5))
        with workspace.database.session() as session:
            create_user(session, "loadtest", PASSWORD, "analyst")
        workspace.close()
        print(f"{args.documents:,} documents written and indexed in {seconds:.1f} s")
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "marsad", "serve", "--port", str(port)],
            env={**os.environ, "MARSAD_HOME": str(home)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(120):
                try:
                    httpx.get(base + "/login", timeout=1)
                    break
                except httpx.HTTPError:
                    time.sleep(0.5)
            print(f"{'run':<28}{'page':<10}{'req/s':>10}{'p50 ms':>10}{'p95 ms':>10}")
            requests = args.requests * 2
            baseline = one_client(base, requests, args.documents, 99)
            report("baseline: one client", baseline, sum(map(sum, baseline.values())) / 1000)
            timings, seconds = run_clients(base, args.clients, args.requests, args.documents)
            report(f"marsad: {args.clients} clients", timings, seconds)
        finally:
            server.terminate()
            server.wait(30)


if __name__ == "__main__":
    main()
