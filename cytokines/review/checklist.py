"""The medical review checklist: what the medical reviewer confirms when approving, kept with the approval.

Editors keep the list (``ChecklistItem`` in the admin); the workflow asks ``confirmed_checklist`` when a
medical reviewer approves and stores its answer on the review event, so the history shows what was confirmed.
"""

from django.core.exceptions import ValidationError

from cytokines.review.models import ChecklistItem


def current_checklist():
    return list(ChecklistItem.objects.filter(is_active=True).order_by("position", "pk"))


def confirmed_checklist(confirmed_ids):
    """The checklist as confirmed, for the review history; ValidationError naming any point not confirmed."""
    confirmed = {str(value) for value in (confirmed_ids or [])}
    items = current_checklist()
    unchecked = [item.text for item in items if str(item.pk) not in confirmed]
    if unchecked:
        raise ValidationError(
            "Confirm each point of the medical review checklist before approving. Not confirmed: "
            + " ".join(f"“{text}”" for text in unchecked)
        )
    return [{"id": item.pk, "item": item.text, "checked": True} for item in items]
