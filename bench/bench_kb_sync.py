"""Loading the bundled knowledge base: CPU seconds of a first sync into an empty database, of a
repeat sync (nothing changed), and of a whole `marsad init` (which runs the first sync).

The sync figures are this process's CPU time (time.process_time) around
`KnowledgeBaseStore.sync_batches` and its commit; `marsad init` is run as a child process and
measured by its rusage (user + system). Baseline, a floor: the rows the sync wrote (entities,
aliases, relations) copied into another empty database with one Core executemany per table,
nothing merged or computed. Give --database-url for PostgreSQL (two empty databases: the URL,
and the same URL with "_copy" appended to its name, for the baseline).

Measured on the development machine (2 cores shared with other work: ±30%), the bundled KB
(776 entries, 3,485 aliases, 27,111 variants, 516 relations), CPU seconds:
                                          first sync   repeat sync   marsad init
  before (an ORM object per row)    SQLite   6.6          2.6          11.1
                                    PgSQL    5.9          1.6
  after (bulk statements)           SQLite   1.0          0.6           3.2
                                    PgSQL    1.3–1.9      0.8–1.0
  baseline: the rows copied alone   SQLite   0.2
                                    PgSQL    0.6

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

from sqlalchemy import insert, select

from marsad.link.aliases import default_variant_generator
from marsad.link.kb import kb_schema, load_kb
from marsad.link.store import KnowledgeBaseStore, SyncReport
from marsad.store.db import Database
from marsad.store.migrate import upgrade_to_head
from marsad.store.models import Alias, Entity, Relation
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


def copy_cpu_seconds(source: Database, target: Database) -> float:
    """The baseline: the sync's rows inserted as they are, one executemany per table."""
    tables = [Entity.__table__, Alias.__table__, Relation.__table__]
    with source.engine.connect() as connection:
        rows = [[dict(row._mapping) for row in connection.execute(select(t))] for t in tables]
    started = time.process_time()
    with target.engine.begin() as connection:
        for table, table_rows in zip(tables, rows, strict=True):
            connection.execute(insert(table), table_rows)
    return time.process_time() - started


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
        copy = Database(f"{url}_copy" if options.database_url else f"{url}.copy")
        upgrade_to_head(copy.engine)
        print(f"baseline     {copy_cpu_seconds(database, copy):6.2f} s CPU  the rows copied alone")
        database.dispose()
        copy.dispose()
        if not options.no_init:
            print(f"marsad init  {init_cpu_seconds(Path(folder) / 'home'):6.2f} s CPU (SQLite)")


if __name__ == "__main__":
    main()
