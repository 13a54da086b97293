from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver

from portal.core import workdays
from portal.core.models import CalendarDay, CalendarYear

# Sent once per committed transaction that changed the working-day calendar, so that stored
# deadlines can be counted again.
calendar_changed = Signal()


def _send_calendar_changed() -> None:
    workdays.clear_cache()
    calendar_changed.send(sender=CalendarDay)


@receiver([post_save, post_delete], sender=CalendarDay)
@receiver([post_save, post_delete], sender=CalendarYear)
def _calendar_row_changed(**kwargs) -> None:
    workdays.clear_cache()
    # Once per transaction, however many days an import changes.
    if not any(entry[1] is _send_calendar_changed for entry in connection.run_on_commit):
        transaction.on_commit(_send_calendar_changed)
