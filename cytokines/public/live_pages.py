"""Which revision is live at an address, kept per content version.

Every change readers can see replaces the content version (``cytokines.public.cache``), so until the next
one the live revision at a slug, and the slugs of the same page in the other languages, stay what they are.
A page rendered again without the whole-page cache (signed-in staff, a reader's page while the page cache
is off or after it was evicted) takes them from the cache; the first request at each new version reads
the database (two small queries) and keeps the answer for the others. With the cache down, every request
reads the database, as before. With a read replica, a request that sees a new version never reads a
replica that has not replayed that publish (``cytokines.ops.replica``), so an old answer is never kept
under a new version; signed-in staff are never given the kept answer (``views._live_page``).
"""

from cytokines.public import alternates, fragments


def live_revision(model, page_field, slug, version):
    """``(revision, {language: slug})``: the live revision of ``model`` at ``slug`` with its page's dates, and
    where the same page lives in the other languages; ``(None, {})`` when nothing is live there."""
    key = fragments.key("live", model._meta.model_name, slug, version)
    found = fragments.load([key]).get(key)
    if found is not None:
        return found
    page_model = model._meta.get_field(page_field).related_model
    pages = page_model.objects.select_related("live_revision").filter(live_revision__slug=slug)
    if any(field.name == "body" for field in page_model._meta.fields):
        pages = pages.defer("body")  # the working copy's text: readers see the revision's; it halves the entry
    # From the page's side: one join (the revision's live_for and page are the same row), no ordering.
    page = next(iter(pages.order_by()[:1]), None)
    if page is None:
        return None, {}  # never kept: an address that answers 404 costs the cache nothing
    revision = page.live_revision
    setattr(revision, page_field, page)
    found = revision, alternates.counterpart_slugs(revision, page_field)
    if key:
        fragments.store(key, found)
    return found
