"""Server CPU per page: what one search page and one document page cost the web app.

A fresh SQLite home is filled with --documents generated Arabic documents (bench_search's
generator, with the search index) and an analyst signs in; the app runs in this process
(FastAPI's TestClient: the same middleware, session check, queries and templates as under
`marsad serve`, without the network). Each page is requested --requests times after a warm-up,
one at a time, and the CPU time of this process is read around every request:
  baseline  the sign-in page (`/login`): the app's fixed cost per request (middleware, session,
            one template) and the test client's own, which every figure below includes too
  marsad    the search page (`/search?q=…`, bench_search's queries: facets, snippets, page) and
            a random document page (`/documents/N`)
Figures: median and p95 ms of CPU per request. Target: search ≤ 4 ms, document ≤ 2 ms.
`--profile search|document` prints the cProfile of that page's requests instead.

    .venv/bin/python bench/bench_pages.py [--documents 20000] [--requests 200] [--profile PAGE]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).parents[1]))
sys.path.insert(0, str(Path(__file__).parent))

from fastapi.testclient import TestClient

from bench_search import QUERIES, fill, percentile
from marsad.config import Settings
from marsad.web.accounts import create_user
from marsad.web.app import create_app
from marsad.workspace import Workspace

USERNAME = "pagebench"
PASSWORD = "page-bench-password-1"


def page_urls(page: str, documents: int, rng: random.Random) -> Callable[[], str]:
    if page == "search":
        return lambda: f"/search?q={quote(rng.choice(QUERIES))}"
    if page == "document":
        return lambda: f"/documents/{rng.randint(1, documents)}"
    return lambda: "/login"


def cpu_ms_per_request(
    client: TestClient, next_url: Callable[[], str], requests: int
) -> list[float]:
    for _ in range(10):  # warm-up: templates compiled, caches and connections filled
        client.get(next_url())
    costs = []
    for _ in range(requests):
        url = next_url()
        began = time.process_time()
        answer = client.get(url)
        costs.append((time.process_time() - began) * 1000)
        if answer.status_code != 200:
            raise SystemExit(f"{url} answered {answer.status_code}")
    return costs


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--documents", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--profile", choices=("search", "document"))
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings.from_env({"MARSAD_HOME": str(Path(folder) / "home")})
        workspace, _before, _after = Workspace.initialise(settings)
        seconds = fill(workspace, options.documents, random.Random(7))
        print(f"{options.documents} documents stored and indexed in {seconds:.0f} s")
        with workspace.database.session() as session:
            create_user(session, USERNAME, PASSWORD, "analyst")
        profiler = cProfile.Profile()
        if options.profile:
            # The app answers in threads of its own (the event loop's, the request threadpool's):
            # each thread started from now on profiles itself into the one profiler.
            threading.setprofile(lambda *_: (sys.setprofile(None), profiler.enable()))
        with TestClient(create_app(workspace)) as client:
            signed_in = client.post(
                "/api/v1/session", json={"username": USERNAME, "password": PASSWORD}
            )
            if signed_in.status_code != 200:
                raise SystemExit(f"sign-in answered {signed_in.status_code}")
            rng = random.Random(11)
            if options.profile:
                next_url = page_urls(options.profile, options.documents, rng)
                cpu_ms_per_request(client, next_url, options.requests)
                profiler.disable()
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(50)
                return
            print(f"CPU ms per request, {options.requests} requests each, one at a time")
            for label, page in (
                ("baseline: sign-in page", "login"),
                ("marsad: search page", "search"),
                ("marsad: document page", "document"),
            ):
                costs = cpu_ms_per_request(
                    client, page_urls(page, options.documents, rng), options.requests
                )
                print(
                    f"  {label:<24} median {statistics.median(costs):6.2f}"
                    f"   p95 {percentile(costs, 0.95):6.2f}"
                )
        workspace.close()


if __name__ == "__main__":
    main()
