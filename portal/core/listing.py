"""The filter every list page offers: a status (`?status=`) and a search text (`?q=`)."""

from collections.abc import Callable, Collection
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet
from django.http import HttpRequest


def any_contains(*fields: str) -> Callable[[str], Q]:
    """A search matching the text anywhere in any of `fields`."""
    return lambda text: reduce(or_, (Q(**{f"{field}__icontains": text}) for field in fields))


def list_filter(
    request: HttpRequest,
    queryset: QuerySet,
    *,
    statuses: Collection[str] = (),
    search: Callable[[str], Q] | None = None,
) -> tuple[QuerySet, str, str]:
    """`queryset` narrowed to the requested status (one of `statuses`, else ignored and given
    back as "") and to the rows `search(text)` matches; returns it, the status and the text."""
    status = request.GET.get("status", "")
    if status in statuses:
        queryset = queryset.filter(status=status)
    else:
        status = ""
    text = request.GET.get("q", "").strip() if search else ""
    if text:
        queryset = queryset.filter(search(text))
    return queryset, status, text
