"""Lists that can grow to 100,000 rows: page numbers only as deep as a reader would go.

An OFFSET of 100,000 reads and throws away 100,000 rows, and an exact count reads every row; both grow
with the library. A listing pages through its first ``max_pages`` pages and counts only that far; past
that, readers narrow the list (kind, cancer type) or search, and the sitemap lists every page for robots.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

MAX_PAGES = 50


class BoundedPaginator(Paginator):
    max_pages = None  # MAX_PAGES unless a subclass or the caller says otherwise

    def __init__(self, object_list, per_page, orphans=0, allow_empty_first_page=True, max_pages=None):
        self.limit = int(per_page) * (max_pages or self.max_pages or MAX_PAGES)
        super().__init__(object_list, per_page, orphans, allow_empty_first_page)

    @cached_property
    def _seen(self):
        """How many rows there are, counted no further than one past the limit."""
        rows = self.object_list
        if hasattr(rows, "order_by"):
            # Any limit + 1 rows will do: without the order, PostgreSQL need not sort every match to count them.
            rows = rows.order_by().values("pk")
        return len(rows[: self.limit + 1]) if isinstance(rows, list) else rows[: self.limit + 1].count()

    @cached_property
    def count(self):
        return min(self._seen, self.limit)

    @property
    def truncated(self):
        """More rows exist than the pages show."""
        return self._seen > self.limit
