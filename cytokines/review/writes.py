"""The one write path for three rules every screen used to repeat.

- The lost-edit version number: ``save_new_version`` is the only code that moves it.
- Review dates: ``complete_review`` and ``set_next_review_due`` are the only code
  that writes last reviewed, last revised and next review due.
- The public page cache: ``content_changed`` is the only code that retires cached public pages.

The admin, imports, history restore, the workflow and management commands all call these.
"""

from django.db import transaction
from django.utils import timezone

from cytokines.content import live_version
from cytokines.content.reviewed import add_months


def content_changed():
    """Readers may see something new once the current transaction commits: retire every cached page."""
    transaction.on_commit(live_version.bump)


def save_new_version(obj, *, update_fields=None):
    """Save ``obj`` as a new version, so a form opened at an older version can no longer save over it."""
    obj.version += 1
    if update_fields is not None:
        update_fields = [*update_fields, "version", "updated_at"]
    obj.save(update_fields=update_fields)


def complete_review(obj, *, revised, today=None):
    """A full review was signed off today: the review dates move on; ``revised`` moves "last revised" too."""
    today = today or timezone.localdate()
    if revised:
        obj.last_revised = today
    obj.last_reviewed = today
    obj.next_review_due = add_months(today, obj.review_interval_months)
    obj.review_needed = False


def set_next_review_due(obj, due):
    obj.next_review_due = due
