"""The Celery application: broker, reliability options, and the scheduler's timers.

Tasks are acknowledged only after they finish (`acks_late`) and given back when their worker
dies (`reject_on_worker_lost`), one at a time per worker process (`prefetch_multiplier=1`): a
worker killed mid-document leaves its task to the next worker instead of losing it.
"""

from __future__ import annotations

from celery import Celery

from marsad.config import Settings
from marsad.workers.settings import BROKER_URL, SCHEDULER_TICK, VISIBILITY_TIMEOUT, WORKER_QUEUE

PROCESS_DOCUMENT = "marsad.process_document"
CRAWL_SOURCE = "marsad.crawl_source"
CRAWL_DUE = "marsad.crawl_due"
DELIVER_ALERTS = "marsad.deliver_alerts"


def create_celery(settings: Settings) -> Celery:
    from marsad.workers.tasks import register_tasks

    app = Celery("marsad", broker=settings.value_of(BROKER_URL), set_as_current=False)
    visibility = int(settings.value_of(VISIBILITY_TIMEOUT))
    tick = float(settings.value_of(SCHEDULER_TICK))
    app.conf.update(
        task_default_queue=settings.value_of(WORKER_QUEUE),
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        task_serializer="json",
        accept_content=["json"],
        broker_transport_options={
            "visibility_timeout": visibility,
            # Look for tasks of dead workers at least every 10 s (kombu's default: ~100 s).
            "unacked_restore_interval": min(10, visibility),
            "unacked_restore_throttle": 1,
        },
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
        enable_utc=True,
        timezone="UTC",
        beat_schedule={
            "crawl-due-sources": {"task": CRAWL_DUE, "schedule": tick},
            # Retries whose backoff has passed, and digests whose hour or day has come.
            "deliver-alerts": {"task": DELIVER_ALERTS, "schedule": tick},
        },
    )
    register_tasks(app, settings)
    return app
