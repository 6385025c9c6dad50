"""Handing documents to the workers: the `DocumentRunner` that queues instead of running."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from celery import Celery
from kombu.exceptions import OperationalError as BrokerError
from sqlalchemy import select

from marsad.errors import BrokerUnavailable
from marsad.pipeline.runner import RunSummary
from marsad.store.db import Database
from marsad.store.models import Document
from marsad.workers.app import PROCESS_DOCUMENT

# Give up sending after about 10 s of a broker that does not answer.
SEND_RETRY_POLICY = {"max_retries": 4, "interval_start": 0.5, "interval_step": 1.0}


class QueueRunner:
    """Queues one `marsad.process_document` task per document for `marsad worker`."""

    def __init__(self, app: Celery, database: Database | None = None) -> None:
        self.app = app
        self.database = database  # to list every document when none are given

    def run(
        self,
        document_ids: Iterable[int] | None = None,
        stage_names: Sequence[str] | None = None,
        retry_failed: bool = False,
        force: bool = False,
        on_document_done: Callable[[int], None] | None = None,
    ) -> RunSummary:
        if document_ids is None:
            if self.database is None:
                raise ValueError("QueueRunner needs a database to queue every document")
            with self.database.session() as session:
                document_ids = list(session.scalars(select(Document.id).order_by(Document.id)))
        summary = RunSummary()
        for document_id in document_ids:
            self.send(document_id, stage_names, retry_failed, force)
            summary.documents += 1
            summary.queued += 1
            if on_document_done is not None:
                on_document_done(document_id)
        return summary

    def send(
        self, document_id: int, stages: Sequence[str] | None, retry_failed: bool, force: bool
    ) -> None:
        kwargs = {
            "document_id": document_id,
            "stages": list(stages) if stages else None,
            "retry_failed": retry_failed,
            "force": force,
        }
        try:
            self.app.send_task(
                PROCESS_DOCUMENT, kwargs=kwargs, retry=True, retry_policy=SEND_RETRY_POLICY
            )
        except BrokerError as error:
            broker = self.app.conf.broker_url
            raise BrokerUnavailable(
                f"cannot queue work: broker {broker} unreachable ({error})"
            ) from None
