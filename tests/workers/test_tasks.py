"""The distributed pipeline for real: `marsad worker` processes on a private Redis broker and
the PostgreSQL store, against the inline runner's results, through kills, restarts and lost
connections."""

from __future__ import annotations

import json
import threading
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from sqlalchemy import func, select

from marsad.alert.stage import alert_payload
from marsad.collect.crawl_book import CrawlBook
from marsad.config import Settings
from marsad.pipeline.ingest import Ingestor
from marsad.store.models import (
    AlertDelivery,
    Capture,
    DeadLetter,
    Document,
    Event,
    EventSource,
    Mention,
    Source,
    StageRun,
    TaskAttempt,
)
from marsad.workers.app import PROCESS_DOCUMENT, create_celery
from marsad.workers.bookkeeping import count_delivery
from marsad.workers.queue import QueueRunner
from marsad.workspace import Workspace
from tests.alert.receiver import Receiver
from tests.alert.store import add_document, add_rule
from tests.commandline import marsad_for
from tests.conftest import make_settings
from tests.workers.conftest import distinct_pages
from tests.workers.databases import drop_database, home_from_template
from tests.workers.processes import (
    WORKER_APPLICATION,
    MarsadProcess,
    RedisServer,
    wait_for,
    worker_env,
)

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]

STAGE_COUNT_SQL = select(StageRun.document_id, StageRun.stage, StageRun.status)


def capture_only(settings: Settings, pages: list[Path], broker_url: str) -> list[int]:
    """Capture the pages here and queue their documents for the workers (`ingest --queue`)."""
    with Workspace.open(settings) as workspace:
        runner = QueueRunner(create_celery(_with_broker(settings, broker_url)), workspace.database)
        summary = Ingestor(workspace, runner).ingest([str(page) for page in pages], "corpus")
    assert summary.pipeline.queued == len(summary.document_ids) == len(pages)
    return summary.document_ids


def _with_broker(settings: Settings, broker_url: str) -> Settings:
    return Settings.from_env({**settings.env, "MARSAD_BROKER_URL": broker_url})


def ok_runs(settings: Settings) -> Counter[tuple[int, str]]:
    with Workspace.open(settings) as workspace, workspace.database.session() as session:
        rows = session.execute(STAGE_COUNT_SQL.where(StageRun.status == "ok"))
        return Counter((document_id, stage) for document_id, stage, _ in rows)


def stage_names(settings: Settings) -> list[str]:
    with Workspace.open(settings) as workspace:
        return workspace.registry.names()


def all_done(settings: Settings, documents: int) -> bool:
    return len(ok_runs(settings)) == documents * len(stage_names(settings))


def mentions_by_page(settings: Settings) -> dict[str, set[tuple[str | None, int, int]]]:
    """Each page's mentions (entity, start, end), keyed by the page's file name."""
    with Workspace.open(settings) as workspace, workspace.database.session() as session:
        rows = session.execute(
            select(Document.url, Mention.entity_id, Mention.start, Mention.end).join(
                Mention, Mention.document_id == Document.id
            )
        )
        found: dict[str, set[tuple[str | None, int, int]]] = {}
        for url, entity_id, start, end in rows:
            found.setdefault(Path(url).name, set()).add((entity_id, start, end))
        return found


def duplicate_mentions(settings: Settings) -> int:
    with Workspace.open(settings) as workspace, workspace.database.session() as session:
        key = (Mention.document_id, Mention.entity_id, Mention.start, Mention.end)
        query = select(*key, func.count()).group_by(*key).having(func.count() > 1)
        return len(session.execute(query).all())


def start_worker(
    settings: Settings,
    redis: RedisServer,
    log: Path,
    concurrency: int = 1,
    kill_9_at: str | None = None,
    **extra: str,
) -> MarsadProcess:
    env = worker_env(settings, redis.url, **extra)
    args = ("worker", "--concurrency", str(concurrency))
    return MarsadProcess(env, log, *args, kill_9_at=kill_9_at)


def test_workers_give_the_inline_runners_results_and_redelivery_changes_nothing(
    pg_settings: Settings, redis_server: RedisServer, tmp_path: Path
) -> None:
    corpus = distinct_pages(tmp_path / "pages", copies=1)
    pages = corpus.pages[:12]
    document_ids = capture_only(pg_settings, pages, redis_server.url)
    worker = start_worker(pg_settings, redis_server, tmp_path / "worker.log", concurrency=2)
    try:
        wait_for(lambda: all_done(pg_settings, len(pages)), 120, "the workers to finish")
        first_runs = ok_runs(pg_settings)
        first_mentions = mentions_by_page(pg_settings)
        # The same tasks again, as a broker redelivering them would: nothing is redone.
        runner = QueueRunner(create_celery(_with_broker(pg_settings, redis_server.url)))
        runner.run(document_ids)
        wait_for(lambda: queue_is_drained(pg_settings, redis_server), 60, "the redelivery")
    finally:
        assert worker.stop() == 0, worker.output()
    assert ok_runs(pg_settings) == first_runs
    assert set(first_runs.values()) == {1}
    assert mentions_by_page(pg_settings) == first_mentions

    inline = make_settings(tmp_path / "inline", f"sqlite:///{tmp_path / 'inline.db'}")
    workspace, _, _ = Workspace.initialise(inline)
    workspace.close()
    marsad_for(inline, "kb", "sync")
    marsad_for(inline, "ingest", *map(str, pages), "--source", "corpus")
    assert first_mentions == mentions_by_page(inline)
    assert sum(len(found) for found in first_mentions.values()) > 20


def page_stem(url: str) -> str:
    """The demo page a copy was made from (`ar-01-…-1.html` → `ar-01-…`)."""
    return Path(url).stem.rsplit("-", 1)[0]


def duplicate_groups(settings: Settings) -> set[frozenset[str]]:
    """The near-duplicate groups, as the pages their documents were copied from."""
    with Workspace.open(settings) as workspace, workspace.database.session() as session:
        groups: dict[int, set[str]] = {}
        for document_id, cluster_id, url in session.execute(
            select(Document.id, Document.cluster_id, Document.url)
        ):
            groups.setdefault(cluster_id or document_id, set()).add(page_stem(url))
        return {frozenset(pages) for pages in groups.values()}


def events_with_sources(settings: Settings) -> Counter[tuple[str, str | None, int]]:
    """Each event as (type, date, how many documents report it)."""
    with Workspace.open(settings) as workspace, workspace.database.session() as session:
        rows = session.execute(
            select(Event.type, Event.date, func.count(func.distinct(EventSource.document_id)))
            .join(EventSource, EventSource.event_id == Event.id)
            .group_by(Event.id, Event.type, Event.date)
        )
        return Counter((kind, date, reports) for kind, date, reports in rows)


def test_two_workers_on_related_documents_merge_them_as_the_inline_runner_does(
    pg_settings: Settings, redis_server: RedisServer, kb_template: str, tmp_path: Path
) -> None:
    """Two copies of each page are queued side by side, so the two worker processes code them
    at the same moment: each must see the other's duplicate group and events, not miss them."""
    corpus = distinct_pages(tmp_path / "pages", copies=2)
    half = len(corpus.pages) // 2
    pairs = zip(corpus.pages[:half], corpus.pages[half:], strict=True)
    pages = [page for pair in pairs for page in pair]
    capture_only(pg_settings, pages, redis_server.url)
    worker = start_worker(pg_settings, redis_server, tmp_path / "worker.log", concurrency=2)
    try:
        wait_for(lambda: all_done(pg_settings, len(pages)), 240, "the workers to finish")
    finally:
        assert worker.stop() == 0, worker.output()

    name = f"marsad_test_inline_{uuid.uuid4().hex[:8]}"
    try:
        inline = home_from_template(name, kb_template, tmp_path / "inline")
        with Workspace.open(inline) as workspace:
            Ingestor(workspace).ingest([str(page) for page in pages], "corpus")
        assert duplicate_groups(pg_settings) == duplicate_groups(inline)
        assert events_with_sources(pg_settings) == events_with_sources(inline)
    finally:
        drop_database(name)
    groups = duplicate_groups(pg_settings)
    assert sum(map(len, groups)) == len(set().union(*groups)) == half  # no page's copies apart
    assert any(reports >= 2 for _kind, _date, reports in events_with_sources(pg_settings))


def queue_is_drained(settings: Settings, redis: RedisServer) -> bool:
    """Nothing waiting in the queue, nothing started and unfinished."""
    import redis as redis_client

    waiting = redis_client.Redis.from_url(redis.url).llen("marsad")
    with Workspace.open(settings) as workspace, workspace.database.session() as session:
        started = session.scalar(select(func.count()).select_from(TaskAttempt)) or 0
    return waiting == 0 and started == 0


def test_a_worker_killed_mid_run_leaves_every_document_completed_exactly_once(
    pg_settings: Settings, redis_server: RedisServer, tmp_path: Path
) -> None:
    corpus = distinct_pages(tmp_path / "pages", copies=1)
    capture_only(pg_settings, corpus.pages, redis_server.url)
    stages = len(stage_names(pg_settings))
    fast_restore = {"broker_visibility_timeout": "3"}
    # The worker's whole process group dies inside the stage `link` of the fifth document: at
    # the same point of the work on every run, however loaded the machine.
    log = tmp_path / "w1.log"
    worker = start_worker(pg_settings, redis_server, log, kill_9_at="stage.link=5", **fast_restore)
    worker.wait_killed(120)
    done_at_kill = len(ok_runs(pg_settings))
    assert 4 * stages <= done_at_kill < 5 * stages

    worker = start_worker(pg_settings, redis_server, tmp_path / "w2.log", **fast_restore)
    try:
        wait_for(lambda: all_done(pg_settings, len(corpus.pages)), 180, "the restarted worker")
    finally:
        worker.stop()
    runs = ok_runs(pg_settings)
    assert set(runs.values()) == {1}, "a stage ran twice on a document"
    assert duplicate_mentions(pg_settings) == 0
    with Workspace.open(pg_settings) as workspace, workspace.database.session() as session:
        failed = session.scalars(select(StageRun).where(StageRun.status != "ok")).all()
        assert failed == []


def test_dropped_database_connections_are_retried_without_failures_or_partial_rows(
    pg_settings: Settings, redis_server: RedisServer, tmp_path: Path
) -> None:
    corpus = distinct_pages(tmp_path / "pages", copies=1)
    pages = corpus.pages[:16]
    capture_only(pg_settings, pages, redis_server.url)
    database = Workspace.open(pg_settings).database.engine.url.database
    stop = threading.Event()
    terminated: list[int] = []

    def drop_connections() -> None:
        with psycopg.connect(host="127.0.0.1", user="postgres", autocommit=True) as admin:
            while not stop.wait(0.7):
                # Only the worker's connections: the test's own polling must not be cut.
                rows = admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = %s AND application_name = %s",
                    (database, WORKER_APPLICATION),
                ).fetchall()
                terminated.append(len(rows))

    worker = start_worker(
        pg_settings, redis_server, tmp_path / "worker.log", worker_retry_backoff_max="1"
    )
    dropper = threading.Thread(target=drop_connections, daemon=True)
    dropper.start()
    try:
        wait_for(lambda: len(ok_runs(pg_settings)) >= 3, 120, "work under dropped connections")
        stop.wait(4)
    finally:
        stop.set()
        dropper.join(10)
    try:
        wait_for(lambda: all_done(pg_settings, len(pages)), 180, "the workers to recover")
    finally:
        worker.stop()
    assert sum(terminated) > 0, "no connection was dropped: the test proved nothing"
    assert "retry in" in worker.output()
    assert set(ok_runs(pg_settings).values()) == {1}
    assert duplicate_mentions(pg_settings) == 0
    with Workspace.open(pg_settings) as workspace, workspace.database.session() as session:
        assert session.scalars(select(StageRun).where(StageRun.status != "ok")).all() == []
        assert session.scalars(select(DeadLetter)).all() == []


def test_a_database_away_when_the_worker_opens_it_is_retried_not_lost(
    pg_settings: Settings, redis_server: RedisServer, tmp_path: Path
) -> None:
    """Tasks that reach a worker while no connection to the database can be made (PostgreSQL
    refusing every new connection, superusers too): the worker's first opening of its
    workspace fails, each task is retried, and all finish once the database takes connections
    again. Found under load: a connection dropped while a worker opened its workspace lost
    its task ("raised unexpected"), so the run never finished."""
    pages = distinct_pages(tmp_path / "pages", copies=1).pages[:3]
    # Captured and queued on another Redis database, so the worker sees none of it yet.
    elsewhere = redis_server.url.removesuffix("/0") + "/1"
    document_ids = capture_only(pg_settings, pages, elsewhere)
    database = Workspace.open(pg_settings).database.engine.url.database

    def allow_connections(allowed: bool) -> None:
        with psycopg.connect(host="127.0.0.1", user="postgres", autocommit=True) as admin:
            admin.execute(
                sql.SQL("ALTER DATABASE {} WITH ALLOW_CONNECTIONS {}").format(
                    sql.Identifier(str(database)), sql.Literal(allowed)
                )
            )

    worker = start_worker(
        pg_settings, redis_server, tmp_path / "worker.log", worker_retry_backoff_max="1"
    )
    try:
        wait_for(lambda: " ready." in worker.output(), 120, "the worker to start")
        allow_connections(False)
        QueueRunner(create_celery(_with_broker(pg_settings, redis_server.url))).run(document_ids)
        wait_for(lambda: "retry in" in worker.output(), 120, "a retry of the refused open")
        allow_connections(True)
        wait_for(lambda: all_done(pg_settings, len(pages)), 180, "the tasks to finish")
    finally:
        allow_connections(True)
        worker.stop()
    assert "not currently accepting connections" in worker.output()
    assert "raised unexpected" not in worker.output()
    assert set(ok_runs(pg_settings).values()) == {1}


def delivered_alerts(settings: Settings) -> list[tuple[int, str, int]]:
    with Workspace.open(settings) as workspace, workspace.database.session() as session:
        query = select(AlertDelivery.id, AlertDelivery.status, AlertDelivery.attempts)
        rows = session.execute(query.order_by(AlertDelivery.id))
        return [(alert_id, status, attempts) for alert_id, status, attempts in rows]


def test_an_immediate_alert_leaves_once_its_document_is_processed_without_the_scheduler(
    pg_settings: Settings, redis_server: RedisServer, tmp_path: Path
) -> None:
    """The document task that recorded alerts queues a delivery task: the webhook is sent
    seconds after processing, not at the scheduler's next tick (none runs here)."""
    receiver = Receiver().start()
    pages = distinct_pages(tmp_path / "pages", copies=1).pages[:3]
    with Workspace.open(pg_settings) as workspace, workspace.database.session() as session:
        languages = ["ar", "fa", "ur", "he", "en"]
        add_rule(session, {"languages": languages}, config={"url": receiver.url, "secret": "s"})
    capture_only(pg_settings, pages, redis_server.url)
    worker = start_worker(pg_settings, redis_server, tmp_path / "worker.log")
    try:
        wait_for(lambda: all_done(pg_settings, len(pages)), 180, "the documents to be done")
        wait_for(
            lambda: {status for _id, status, _n in delivered_alerts(pg_settings)} == {"delivered"},
            120,
            "the alerts to be delivered",
        )
    finally:
        worker.stop()
        receiver.stop()
    alerts = delivered_alerts(pg_settings)
    assert alerts and all(attempts == 1 for _id, _status, attempts in alerts)
    sent = sorted(json.loads(request.body)["delivery_id"] for request in receiver.received)
    assert sent == [alert_id for alert_id, _status, _n in alerts]  # each alert once
    assert "marsad.deliver_alerts" in worker.output()


def test_a_broker_restarted_mid_run_loses_no_work(
    pg_settings: Settings, redis_server: RedisServer, tmp_path: Path
) -> None:
    corpus = distinct_pages(tmp_path / "pages", copies=1)
    capture_only(pg_settings, corpus.pages, redis_server.url)
    stages = len(stage_names(pg_settings))
    worker = start_worker(pg_settings, redis_server, tmp_path / "worker.log")
    try:
        wait_for(lambda: len(ok_runs(pg_settings)) >= 3 * stages, 120, "a few documents done")
        redis_server.stop()
        redis_server.start()
        wait_for(lambda: all_done(pg_settings, len(corpus.pages)), 180, "work after the restart")
    finally:
        worker.stop()
    assert set(ok_runs(pg_settings).values()) == {1}


def test_poison_and_missing_documents_go_to_the_dead_letters_and_can_be_queued_again(
    pg_settings: Settings,
    redis_server: RedisServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for key, value in worker_env(pg_settings, redis_server.url).items():
        monkeypatch.setenv(key, value)
    corpus = distinct_pages(tmp_path / "pages", copies=1)
    settings = Settings.from_env()
    with Workspace.open(settings) as workspace:
        summary = Ingestor(workspace, QueueRunner(create_celery(settings))).capture(
            [str(corpus.pages[0])], "corpus", None
        )
        (document_id,) = summary.document_ids
        # Three deliveries that never finished: the worker died each time.
        for _ in range(3):
            count_delivery(workspace.database, f"document:{document_id}", PROCESS_DOCUMENT)
    app = create_celery(settings)
    app.conf.task_always_eager = True
    app.tasks[PROCESS_DOCUMENT].apply(kwargs={"document_id": document_id})
    missing = app.tasks[PROCESS_DOCUMENT].apply(kwargs={"document_id": 999_999})
    assert missing.failed()

    with Workspace.open(settings) as workspace, workspace.database.session() as session:
        letters = {letter.key: letter for letter in session.scalars(select(DeadLetter))}
        assert session.scalars(select(StageRun)).all() == []  # the poison task did no work
    assert "poison task: started 3 times" in letters[f"document:{document_id}"].error
    assert "document 999999 does not exist" in letters["document:999999"].error

    listed = marsad_for(settings, "dead-letters", extra_env={"MARSAD_BROKER_URL": redis_server.url})
    assert "poison task" in listed.stdout and "document:999999" in listed.stdout
    marsad_for(settings, "dead-letters", "--retry")
    assert "no dead letters" in marsad_for(settings, "dead-letters").stdout
    worker = start_worker(settings, redis_server, tmp_path / "worker.log")
    try:
        wait_for(lambda: all_done(settings, 1), 60, "the dead letter's second chance")
    finally:
        worker.stop()


def test_the_scheduler_queues_due_sources_once_and_workers_crawl_them(
    pg_settings: Settings, redis_server: RedisServer, tmp_path: Path
) -> None:
    corpus = distinct_pages(tmp_path / "pages", copies=1)
    folder = tmp_path / "watched"
    folder.mkdir()
    for page in corpus.pages[:5]:
        (folder / page.name).write_bytes(page.read_bytes())
    env = worker_env(pg_settings, redis_server.url, scheduler_tick="1")
    marsad_for(
        pg_settings,
        "source",
        "add",
        "files",
        str(folder),
        "--name",
        "watched",
        "--every",
        "1h",
        extra_env=env,
    )
    scheduler = MarsadProcess(env, tmp_path / "beat.log", "scheduler")
    worker = MarsadProcess(env, tmp_path / "worker.log", "worker", "--concurrency", "1")
    try:
        wait_for(lambda: all_done(pg_settings, 5), 120, "the scheduled crawl's documents")
        threading.Event().wait(4)  # four more ticks: the source is not due for an hour
    finally:
        assert scheduler.stop() == 0, scheduler.output()
        worker.stop()
    with Workspace.open(pg_settings) as workspace, workspace.database.session() as session:
        captures = session.scalar(select(func.count()).select_from(Capture)) or 0
        source = session.scalars(select(Source)).one()
    assert captures == 5
    book = CrawlBook.of(source)
    assert book.last_crawl_at is not None and book.failures == 0
    assert book.queued_until is None  # the finished crawl gave its lease back


def test_the_scheduler_sends_an_alert_whose_retry_time_has_come(
    pg_settings: Settings, redis_server: RedisServer, tmp_path: Path
) -> None:
    """No document is processed: the scheduler's own timer queues the delivery of an alert
    that failed once and is due again."""
    receiver = Receiver().start()
    with Workspace.open(pg_settings) as workspace, workspace.database.session() as session:
        rule = add_rule(session, {"languages": ["ar"]}, config={"url": receiver.url, "secret": "s"})
        document = add_document(session, "أعلنت البلدية افتتاح حديقة جديدة في المدينة.")
        session.add(AlertDelivery(
            rule_id=rule.id, item_kind="document", item_id=str(document.id), attempts=1,
            payload=alert_payload(rule, document, []), last_error="HTTP 503",
            next_attempt_at=datetime.now(UTC) - timedelta(seconds=1),
        ))  # fmt: skip
    env = worker_env(pg_settings, redis_server.url, scheduler_tick="1")
    scheduler = MarsadProcess(env, tmp_path / "beat.log", "scheduler")
    worker = MarsadProcess(env, tmp_path / "worker.log", "worker", "--concurrency", "1")
    try:
        wait_for(lambda: delivered_alerts(pg_settings)[0][1] == "delivered", 120, "the alert")
    finally:
        scheduler.stop()
        worker.stop()
        receiver.stop()
    assert delivered_alerts(pg_settings)[0][2] == 2  # the failed attempt and this one
    assert len(receiver.received) == 1


def test_queueing_without_a_broker_is_one_clear_error_and_keeps_the_captures(
    pg_settings: Settings, tmp_path: Path
) -> None:
    page = distinct_pages(tmp_path / "pages", copies=1).pages[0]
    dead_broker = {"MARSAD_BROKER_URL": "redis://127.0.0.1:1/0"}
    result = marsad_for(
        pg_settings, "ingest", str(page), "--queue", check=False, extra_env=dead_broker
    )
    assert result.returncode == 1
    assert "broker redis://127.0.0.1:1/0 unreachable" in result.stderr
    assert "Traceback" not in result.stderr
    with Workspace.open(pg_settings) as workspace, workspace.database.session() as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 1


def test_more_than_one_worker_process_on_sqlite_is_warned_about(
    redis_server: RedisServer, tmp_path: Path
) -> None:
    sqlite = make_settings(tmp_path / "home", f"sqlite:///{tmp_path / 'marsad.db'}")
    Workspace.initialise(sqlite)[0].close()
    for concurrency, warned in ((2, True), (1, False)):
        log = tmp_path / f"worker-{concurrency}.log"
        worker = start_worker(sqlite, redis_server, log, concurrency=concurrency)
        try:
            wait_for(lambda worker=worker: "ready" in worker.output(), 60, "the worker")
        finally:
            assert worker.stop() == 0, worker.output()
        assert ("use PostgreSQL" in worker.output()) is warned
