"""Settings of the distributed workers (read like every other `MARSAD_*` setting)."""

from __future__ import annotations

from marsad.config import Setting, parse_positive_float, parse_positive_int

BROKER_URL = Setting(
    "broker_url",
    "redis://127.0.0.1:6379/0",
    "Celery broker of `marsad worker` and `marsad scheduler` (redis://… or amqp://…).",
)
WORKER_QUEUE = Setting(
    "worker_queue",
    "marsad",
    "Name of the broker queue the workers take tasks from (one per Marsad deployment).",
)
VISIBILITY_TIMEOUT = Setting(
    "broker_visibility_timeout",
    3600,
    "Seconds after which the Redis broker hands an unacknowledged task (its worker died) to "
    "another worker.",
    parse_positive_int,
)
TASK_MAX_RETRIES = Setting(
    "worker_max_retries",
    5,
    "Retries of a task after a transient error (database or broker connection lost), with "
    "exponential backoff; then it goes to the dead letters.",
    parse_positive_int,
)
RETRY_BACKOFF_MAX = Setting(
    "worker_retry_backoff_max",
    300,
    "Longest wait, in seconds, between two retries of a task.",
    parse_positive_int,
)
MAX_DELIVERIES = Setting(
    "worker_max_deliveries",
    3,
    "Deliveries of one task that never finished (its worker was killed) before it goes to "
    "the dead letters as a poison task.",
    parse_positive_int,
)
SCHEDULER_TICK = Setting(
    "scheduler_tick",
    60.0,
    "Seconds between two looks of `marsad scheduler` for sources that are due and alerts to send.",
    parse_positive_float,
)
CRAWL_LEASE = Setting(
    "crawl_lease",
    3600,
    "Seconds a queued crawl holds its source, so the scheduler does not queue it twice.",
    parse_positive_int,
)

WORKER_SETTINGS: tuple[Setting, ...] = (
    BROKER_URL,
    WORKER_QUEUE,
    VISIBILITY_TIMEOUT,
    TASK_MAX_RETRIES,
    RETRY_BACKOFF_MAX,
    MAX_DELIVERIES,
    SCHEDULER_TICK,
    CRAWL_LEASE,
)
