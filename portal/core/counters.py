from django.db import transaction

from portal.core.models import Counter


def next_value(key: str) -> int:
    """The next value of a gap-free counter; call inside the transaction that uses it."""
    with transaction.atomic():
        Counter.objects.get_or_create(key=key)
        counter = Counter.objects.select_for_update().get(key=key)
        counter.value += 1
        counter.save(update_fields=["value"])
        return counter.value
