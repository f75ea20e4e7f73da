"""Admin widgets."""

from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.forms.models import BaseInlineFormSet


class PreloadedChoicesMixin:
    """An autocomplete box that shows its chosen objects from ``known`` instead of asking the database.

    Django's widget looks up the selected objects each time it renders, though the form has just read
    them: a page citing 50 references cost 50 extra queries, and each filled box of a change form one more.
    """

    known = None

    def optgroups(self, name, value, attr=None):
        selected = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        known = self.known or {}
        if not selected or not selected <= known.keys():
            return super().optgroups(name, value, attr)
        offers_empty = not (self.is_required or self.allow_multiple_selected)
        options = [self.create_option(name, "", "", False, 0)] if offers_empty else []
        for key in sorted(selected):
            label = self.choices.field.label_from_instance(known[key])
            options.append(self.create_option(name, known[key].pk, label, True, len(options)))
        return [(None, options, 0)]


class PreloadedAutocompleteSelect(PreloadedChoicesMixin, AutocompleteSelect):
    pass


class PreloadedAutocompleteSelectMultiple(PreloadedChoicesMixin, AutocompleteSelectMultiple):
    pass


def preload_chosen(form):
    """Hand each autocomplete box of a change form the objects the form already holds: the page's relations
    (read for the form's initial values) and its foreign keys when they were read with it."""
    instance = form.instance
    if instance.pk is None:
        return
    for name, field in form.fields.items():
        widget = getattr(field.widget, "widget", field.widget)  # inside the admin's related-object wrapper
        if not isinstance(widget, PreloadedChoicesMixin):
            continue
        chosen = form.initial.get(name)
        if isinstance(chosen, list):  # a many-to-many field: model_to_dict read the objects
            widget.known = {str(obj.pk): obj for obj in chosen}
            continue
        model_field = instance._meta.get_field(name)
        if model_field.is_relation and model_field.many_to_one and model_field.is_cached(instance):
            related = model_field.get_cached_value(instance)
            widget.known = {str(related.pk): related} if related is not None else {}


def with_chosen(queryset, fields):
    """``queryset`` reading, with its rows, the objects of its autocomplete ``fields`` (names)."""
    model_fields = [queryset.model._meta.get_field(name) for name in fields]
    return queryset.select_related(*[f.name for f in model_fields if f.many_to_one]).prefetch_related(
        *[f.name for f in model_fields if f.many_to_many])


class PreloadedChoicesFormSet(BaseInlineFormSet):
    """An inline formset whose rows' search boxes show the objects each row already holds (``preload_chosen``).

    The inline's queryset must read them with the rows (``with_chosen``), so the rows and
    their objects come in one query, or one per related list, however many rows there are.
    """

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        # Each row knows its page without reading it again (a row's name shown in the form mentions the page).
        setattr(form.instance, self.fk.name, self.instance)
        preload_chosen(form)
        return form


class PreloadedAutocompleteMixin:
    """For a ModelAdmin or an inline: its ``autocomplete_fields`` show their chosen objects without asking the
    database again (the page reads them with ``shown_related``, an inline with ``with_chosen``)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = PreloadedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = PreloadedAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)
