"""Celery tasks of the core: the outbox relay (beat's relay-outbox and every worker start), the
administrators' alert about guesses at one user name, sealing the audit chain, and retention.

The relay is the one task not sent through the outbox: it is what empties it, and a lost relay
message costs nothing (beat sends another within OUTBOX_RELAY_SECONDS).
"""

from celery import shared_task

from portal.core import audit_chain, lockout, outbox, retention


@shared_task
def relay_outbox() -> int:
    """Send the outbox rows the broker has not taken yet; returns how many were sent."""
    return outbox.relay().sent


@shared_task
def seal_audit_chain() -> int:
    """Chain the audit rows no commit sealed (a process that died right after its commit)."""
    return audit_chain.seal_all()


@shared_task
def apply_retention() -> dict[str, int]:
    """Daily: personal data past its retention period is anonymised or deleted."""
    return retention.apply_retention()


@shared_task
def send_login_alert(username: str) -> int:
    """E-mail the administrators about the guesses at `username` (portal.core.lockout).
    Run twice, it sends the e-mail twice: harmless for an alert."""
    return lockout.send_login_alert(username)
