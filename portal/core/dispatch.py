"""How the portal starts background work: through the transactional outbox (portal.core.outbox).

Every task the apps start goes through `enqueue_on_commit`, never `.delay()`: the task is a row
written in the transaction of the change that calls for it, sent after the commit, and kept
until the broker has taken it. A broker that is down or hanging neither undoes the user's action
nor loses the work; the relay sends it when the broker is back. Tasks must be safe to run twice.
"""

from portal.core import outbox
from portal.core.models import OutboxMessage


def enqueue_on_commit(task, *args, countdown: float | None = None) -> OutboxMessage:
    """Send `task(*args)` once the current transaction commits (at once outside one).

    With `countdown`, not before that many seconds: the relay sends it when it is due.
    """
    return outbox.enqueue(task, *args, countdown=countdown)
