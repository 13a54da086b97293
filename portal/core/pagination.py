"""Pages of long lists without counting the whole table on every request.

Django's Paginator runs COUNT(*) over every row the filter keeps, on every page view: with a
million certificates in a city, that count costs more than the page. BoundedPaginator counts at
most the rows of its first PAGES pages (COUNT over a LIMIT subquery); past them the page says
"more than N" and offers those pages only. A reviewer narrows a long list with its filters
(status, year, name) rather than paging deep into it, and every page deeper costs an OFFSET
scan of the rows before it.
"""

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

PAGES = 10


class BoundedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, pages: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.bound = int(per_page) * (PAGES if pages is None else pages)

    @cached_property
    def counted(self) -> int:
        """The rows, counted up to one past the bound: one query, at most bound + 1 rows read."""
        if not isinstance(self.object_list, QuerySet):
            return len(self.object_list[: self.bound + 1])
        # Without the ORDER BY: it would make the database sort the rows it counts.
        return self.object_list.order_by()[: self.bound + 1].count()

    @cached_property
    def count(self) -> int:
        """The number of rows, or `bound` when there are more (then `more` is True)."""
        return min(self.counted, self.bound)

    @property
    def more(self) -> bool:
        """True when there are more rows than the pages offer."""
        return self.counted > self.bound

    def _get_page(self, object_list, number, paginator):
        """A later page reads the page's keys first, then only its rows: the rows before it are
        skipped in an index (OFFSET over the keys), not joined and fetched to be thrown away."""
        if (
            isinstance(object_list, QuerySet)
            and object_list.query.low_mark > 0
            and object_list._fields is None  # model instances, not values()
            and not object_list.query.distinct
        ):
            keys = list(object_list.values_list("pk", flat=True))
            rows = self.object_list.order_by().filter(pk__in=keys).in_bulk(keys)
            object_list = [rows[key] for key in keys if key in rows]
        return super()._get_page(object_list, number, paginator)
