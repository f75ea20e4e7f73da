"""Inline rows numbered by a ``position`` that is unique per page (references [1], [2]; FAQ items)."""

from django.forms.models import BaseInlineFormSet

# Free positions rows wait on while the others take their new numbers: far above any real list, within a
# small integer, and above the positive-position check.
PARKING_FROM = 30000


class RenumberableFormSet(BaseInlineFormSet):
    """Saves renumbered rows without two of them ever sharing a position.

    Swapping [1] and [2] saves one row at a time, so the first save would meet the other row still at its old
    number and the unique constraint would refuse the whole edit. Rows that change number (or go away) first
    move to free parking positions in one update; then each is saved at its new number. The formset's own
    validation still refuses two rows given the same number, with a message.
    """

    position_field = "position"

    def save_existing_objects(self, commit=True):
        if commit:
            moving = [
                form.instance.pk
                for form in self.initial_forms
                if form.instance.pk and (self.position_field in form.changed_data or form in self.deleted_forms)
            ]
            if len(moving) > 1:
                for offset, pk in enumerate(moving):
                    self.model._default_manager.filter(pk=pk).update(**{self.position_field: PARKING_FROM + offset})
        return super().save_existing_objects(commit)
