"""What the staff dashboard shows of the editorial checks: reference problems and pages above the reading target."""

from django.db.models import Q

from cytokines.quality import reading
from cytokines.quality.models import ReadingLevel, ReferenceCheck
from cytokines.review.schedule import capped_list

Status = ReferenceCheck.Status


def reference_problems():
    """References whose record differs or is missing, and dead links with a note waiting for an Editor."""
    return (
        ReferenceCheck.objects.filter(Q(status__in=[Status.MISMATCH, Status.NOT_FOUND]) | ~Q(proposed_note=""))
        .select_related("reference")
        .order_by("reference__authors", "reference__year")
    )


def pages_above_target():
    return ReadingLevel.objects.filter(grade__gt=reading.target()["grade"]).order_by("-grade", "title")


def sections(*, limit=25):
    """Both lists, each capped at ``limit`` rows with a full count.

    Only reads: pages are measured when saved in the admin and by ``manage.py measure_reading`` (cron), never
    here, so the dashboard costs the same at 100,000 pages as at 10 (measuring there took seconds per visit).
    """
    lists = {"reference_problems": reference_problems(), "above_reading_target": pages_above_target()}
    result = {key: capped_list(queryset, limit) for key, queryset in lists.items()}
    result["reading_target"] = reading.target()
    return result
