"""Loading the bundled knowledge base: CPU seconds of a first sync into an empty database, of a
repeat sync (nothing changed), and of a whole `marsad init` (which runs the first sync).

The sync figures are this process's CPU time (time.process_time) around
`KnowledgeBaseStore.sync_batches` and its commit; `marsad init` is run as a child process and
measured by its rusage (user + system). Give --database-url for PostgreSQL (an empty database).

Measured on the development machine (2 cores shared with other work: ±30%), SQLite, the
bundled KB (776 entries, ~27,000 alias variants), CPU seconds:
  before: ORM objects one by one     first sync 8.9   repeat sync 3.0   marsad init 12.3
  after:  Core bulk insert/delete    (see the commit that brought this bench)

    .venv/bin/python bench/bench_kb_sync.py [--database-url URL] [--no-init]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from marsad.link.aliases import default_variant_generator
from marsad.link.kb import kb_schema, load_kb
from marsad.link.store import KnowledgeBaseStore, SyncReport
from marsad.store.db import Database
from marsad.store.migrate import upgrade_to_head
from marsad.text.normalize import default_normalizer


def timed_sync(database: Database) -> tuple[float, SyncReport]:
    entries = load_kb()
    started = time.process_time()
    with database.session() as session:
        store = KnowledgeBaseStore(
            session, default_normalizer(), default_variant_generator(), kb_schema()
        )
        report = store.sync_batches(entries)
    return time.process_time() - started, report


def init_cpu_seconds(home: Path) -> float:
    """CPU seconds (user + system) of `marsad init` in a fresh home."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    environment = {**os.environ, "MARSAD_HOME": str(home)}
    environment.pop("MARSAD_DATABASE_URL", None)
    marsad = Path(sys.executable).parent / "marsad"
    subprocess.run([str(marsad), "init"], env=environment, check=True, capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="an empty database (default: a new SQLite file)")
    parser.add_argument("--no-init", action="store_true", help="skip timing `marsad init`")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = options.database_url or f"sqlite:///{Path(folder) / 'marsad.db'}"
        database = Database(url)
        upgrade_to_head(database.engine)
        first, report = timed_sync(database)
        print(f"first sync   {first:6.2f} s CPU  {report.summary()}")
        repeat, report = timed_sync(database)
        print(f"repeat sync  {repeat:6.2f} s CPU  {report.summary()}")
        database.dispose()
        if not options.no_init:
            print(f"marsad init  {init_cpu_seconds(Path(folder) / 'home'):6.2f} s CPU (SQLite)")


if __name__ == "__main__":
    main()
