"""Read services for the glossary: the A–Z list, a term's page, and articles' text with their terms linked.

Linking costs a constant number of queries whatever the number of terms: one aggregate gives the
glossary's version (the live revisions' count and newest id: publishing, replacing or archiving any term
changes it), the terms are read once per version, and an article's linked text is kept per (article
revision, glossary version). Nothing here writes content.
"""

from itertools import groupby

from django.db.models import Count, Max
from django.urls import reverse

from cytokines.content.glossary import GlossaryTermRevision
from cytokines.public.cache import cache_get, cache_set
from cytokines.public.glossary_links import Term, link_terms

CACHE_SECONDS = 60 * 60 * 24 * 7  # keys carry the version: an old entry is never read, only left to expire


def live_terms():
    """Live term revisions (the glossary as reviewed), with the term's dates."""
    return GlossaryTermRevision.objects.live().select_related("glossaryterm").order_by("name")


def glossary_version():
    """A token that changes whenever the set of live term revisions changes (one query).

    Revision ids only grow, so any new live revision raises the newest id and any term taken down lowers
    the count."""
    figures = GlossaryTermRevision.objects.live().aggregate(count=Count("pk"), newest=Max("pk"))
    return f"{figures['count']}-{figures['newest'] or 0}"


def _terms(version):
    key = f"glossary-terms:{version}"
    terms = cache_get(key)
    if terms is None:
        rows = GlossaryTermRevision.objects.live().order_by("name")
        terms = [Term(slug=slug, name=name, names=(name, *_names(synonyms)), definition=definition,
                      url=reverse("cytokines:glossary-term", args=[slug]))
                 for slug, name, synonyms, definition in rows.values_list("slug", "name", "synonyms", "definition")]
        cache_set(key, terms, CACHE_SECONDS)
    return terms


def _names(synonyms):
    return tuple(name.strip() for name in synonyms.split(",") if name.strip())


def linked_body(revision):
    """The article revision's text with the first use of each glossary term linked to its definition."""
    version = glossary_version()
    key = f"glossary-linked:{revision.pk}:{version}"
    html = cache_get(key)
    if html is None:
        html = link_terms(str(revision.body_html), _terms(version))
        cache_set(key, html, CACHE_SECONDS)
    return html


def terms_by_letter(terms):
    """[(letter, [terms])] for the A–Z page; terms starting with a digit or sign go under "#"."""
    def letter(term):
        first = term.name[:1].upper()
        return first if first.isalpha() else "#"

    return [(key, list(group)) for key, group in groupby(sorted(terms, key=lambda t: t.name.lower()), key=letter)]


def term_context(revision):
    """The term page's context for ``revision`` (live, or an unsaved one in a preview)."""
    return {"term": revision, "authors": revision.authors, "reviewers": revision.reviewers}
