"""Admin widgets."""

from django.contrib.admin.widgets import AutocompleteSelect
from django.forms.models import BaseInlineFormSet


class PreloadedAutocompleteSelect(AutocompleteSelect):
    """An autocomplete box that shows its chosen object from ``known`` instead of asking the database.

    Django's widget looks up the selected object once per row, so a page citing 50 references cost 50
    extra queries; the inline's formset hands each row the object it already loaded.
    """

    known = None

    def optgroups(self, name, value, attr=None):
        selected = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        known = self.known or {}
        if not selected or not selected <= known.keys():
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        for key in sorted(selected):
            label = self.choices.field.label_from_instance(known[key])
            options.append(self.create_option(name, known[key].pk, label, True, len(options)))
        return [(None, options, 0)]


class PreloadedChoicesFormSet(BaseInlineFormSet):
    """An inline formset that hands each row's autocomplete box the object the row already holds.

    The inline's ``get_queryset`` must ``select_related`` that field, so the rows and their objects come
    in one query.
    """

    preloaded_field = None

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        field = form.fields.get(self.preloaded_field)
        if field is not None and form.instance.pk is not None:
            widget = getattr(field.widget, "widget", field.widget)  # inside the admin's related-object wrapper
            if isinstance(widget, PreloadedAutocompleteSelect):
                chosen = getattr(form.instance, self.preloaded_field)
                widget.known = {str(chosen.pk): chosen}
        return form
