from django.db import transaction

from portal.core.models import Counter


def next_value(key: str) -> int:
    """The next value of a gap-free counter; call inside the transaction that uses it."""
    return allocate(key, 1)


def allocate(key: str, count: int) -> int:
    """Reserve `count` consecutive values of a gap-free counter; returns the first.

    The counter row stays locked until the caller's transaction ends, so concurrent callers
    queue behind it and a rolled-back caller gives its values back: no gap, no duplicate.
    """
    if count < 1:
        raise ValueError("count must be at least 1")
    with transaction.atomic():
        Counter.objects.get_or_create(key=key)
        counter = Counter.objects.select_for_update().get(key=key)
        first = counter.value + 1
        counter.value += count
        counter.save(update_fields=["value"])
        return first


def peek(key: str) -> int:
    """The last value handed out (0 when none)."""
    return Counter.objects.filter(key=key).values_list("value", flat=True).first() or 0
