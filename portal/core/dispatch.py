"""Start background work after the transaction commits, without letting a broker fault undo it.

The state change is already committed when the task is sent; if the broker is unreachable the
user's action still succeeds. Work scheduled this way must also be recoverable without the task
(the receipt, for instance, is rendered on demand when it is missing).
"""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_on_commit(task, *args) -> None:
    def send() -> None:
        try:
            task.delay(*args)
        except Exception:  # any broker or connection error
            logger.warning(
                "could not enqueue %s%r; it will be done on demand", task.name, args, exc_info=True
            )

    transaction.on_commit(send)
