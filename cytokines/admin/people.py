"""The owner and medical-reviewer search boxes of the article and agent forms.

Django's own autocomplete asks the *user* admin whether the person may view every account, so only
superusers could assign work. This endpoint asks the article (or agent) admin instead: whoever may
add or change pages may search the people who can be assigned to them (workflow.assignable_*), by
username or name. Answers carry usernames only, never e-mail addresses, and the form fields accept
only the same people, so a forged post cannot assign anyone else.
"""

from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.core.exceptions import PermissionDenied
from django.db.models import Q, Value
from django.db.models.functions import Concat

from cytokines.admin.ranking import ranked_by_closeness
from cytokines.admin.widgets import PreloadedAutocompleteSelect
from cytokines.review import workflow

PEOPLE_FIELDS = {"owner": workflow.assignable_owners, "medical_reviewer": workflow.assignable_medical_reviewers}


def url_name(model):
    return f"cytokines_{model._meta.model_name}_people_autocomplete"


class PeopleAutocompleteSelect(PreloadedAutocompleteSelect):
    def get_url(self):
        from django.urls import reverse

        return reverse(f"{self.admin_site.name}:{url_name(self.field.model)}")


class PeopleAutocompleteView(AutocompleteJsonView):
    source_admin = None  # the page admin (articles or agents) this endpoint belongs to

    def process_request(self, request):
        term, model_admin, source_field, to_field_name = super().process_request(request)
        if source_field.model is not self.source_admin.model or source_field.name not in PEOPLE_FIELDS:
            raise PermissionDenied
        return term, model_admin, source_field, to_field_name

    def has_perm(self, request, obj=None):
        return self.source_admin.has_change_permission(request) or self.source_admin.has_add_permission(request)

    def get_queryset(self):
        people = PEOPLE_FIELDS[self.source_field.name]()
        for word in self.term.split()[:4]:
            people = people.filter(
                Q(username__icontains=word) | Q(first_name__icontains=word) | Q(last_name__icontains=word)
            )
        people = people.annotate(full_name=Concat("first_name", Value(" "), "last_name"))
        return ranked_by_closeness(people, self.term, ["username", "full_name", "first_name", "last_name"])

    def serialize_result(self, obj, to_field_name):
        return {"id": str(getattr(obj, to_field_name)), "text": obj.get_username()}


class PeopleAutocompleteMixin:
    """For a ModelAdmin: owner / medical-reviewer boxes that work for everyone who edits its pages."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in PEOPLE_FIELDS:
            kwargs["widget"] = PeopleAutocompleteSelect(db_field, self.admin_site)
            kwargs["queryset"] = PEOPLE_FIELDS[db_field.name]()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def people_autocomplete_urls(self):
        from django.urls import path

        view = PeopleAutocompleteView.as_view(admin_site=self.admin_site, source_admin=self)
        return [path("people-autocomplete/", self.admin_site.admin_view(view), name=url_name(self.model))]
