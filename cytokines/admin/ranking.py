"""Autocomplete answers ranked by closeness: an exact name first, then names that start with what was
typed, then names that contain it, then matches found only in other searched text (a summary, a body).

Django's autocomplete keeps the model's ordering, so typing "IL-2" listed every page mentioning it
alphabetically and the medicine called exactly that could be far down the list.
"""

from django.db.models import Case, IntegerField, Value, When
from django.db.models.functions import Least

EXACT, PREFIX, CONTAINS, ELSEWHERE = range(4)


def closeness(field, term):
    return Case(
        When(**{f"{field}__iexact": term}, then=Value(EXACT)),
        When(**{f"{field}__istartswith": term}, then=Value(PREFIX)),
        When(**{f"{field}__icontains": term}, then=Value(CONTAINS)),
        default=Value(ELSEWHERE),
        output_field=IntegerField(),
    )


def ranked_by_closeness(queryset, term, fields):
    """``queryset`` ordered by how closely any of ``fields`` matches ``term``, then by its usual order."""
    term = " ".join(term.split())
    if not term or not fields:
        return queryset
    ranks = [closeness(field, term) for field in fields]
    rank = ranks[0] if len(ranks) == 1 else Least(*ranks)
    usual = list(queryset.query.order_by or queryset.model._meta.ordering or ["pk"])
    return queryset.annotate(closeness=rank).order_by("closeness", *usual)


class RankedSearchMixin:
    """For a ModelAdmin: autocomplete results ranked by ``rank_fields`` (the change list keeps its own order)."""

    rank_fields = ()

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return ranked_by_closeness(queryset, search_term, self.rank_fields), may_have_duplicates
