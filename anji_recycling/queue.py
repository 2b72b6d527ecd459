"""Queueing Celery work from the web portal without depending on Redis being up.

Work is queued after the transaction commits; if the broker cannot be reached the write still
stands (the page answers normally) and a periodic sweep queues what is still waiting once Redis
is back. A task may therefore arrive twice: the work it starts claims its row first.
"""

import datetime as dt
import logging

from django.db import transaction

logger = logging.getLogger(__name__)

# Work still waiting for a worker after this long has lost its message (Redis was down when it
# was queued); the sweeps queue it again, which is harmless since the work claims its row.
WAITING_TOO_LONG = dt.timedelta(minutes=3)


def enqueue_on_commit(task, **kwargs) -> None:
    """Queue `task` with these keyword arguments once the current transaction commits."""

    def send():
        try:
            task.delay(**kwargs)
        except Exception:  # noqa: BLE001 - broker down: the periodic sweep queues it later
            logger.warning("Could not queue %s %s; the periodic sweep will", task.name, kwargs)

    transaction.on_commit(send)
