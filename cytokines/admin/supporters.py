"""Supporter records: read-only lists with export, for the Supporter care group only.

Donations filter by state and month, show totals per month, export for the accountant, and show each
donation's timeline of provider events. Nothing here writes: the forms and the webhooks do.
"""

import datetime

from django.contrib import admin
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from import_export.admin import ExportMixin

from cytokines.admin.base import ReadOnlyAdmin
from cytokines.admin.personal_data import PERMISSION as PERSONAL_DATA_PERMISSION
from cytokines.admin.personal_data import find_this_persons_data
from cytokines.supporters.exports import DonationResource, SubscriberResource
from cytokines.supporters.models import Donation, MonthlyGift, PaymentEvent, Subscriber
from cytokines.supporters.reports import donation_totals_by_month, donations_accountant_csv
from cytokines.transfer.spreadsheets import SPREADSHEET_FORMATS


class SupporterRecordAdmin(ExportMixin, ReadOnlyAdmin):
    """Supporter records are written only by the public forms and the payment webhook, never by hand here."""

    formats = SPREADSHEET_FORMATS
    actions = [find_this_persons_data]

    def has_handle_personal_data_permission(self, request):
        return request.user.has_perm(PERSONAL_DATA_PERMISSION)


class MonthFilter(admin.SimpleListFilter):
    title = "month"
    parameter_name = "month"

    def lookups(self, request, model_admin):
        months = Donation.objects.dates("created_at", "month", order="DESC")[:36]
        return [(m.strftime("%Y-%m"), m.strftime("%B %Y")) for m in months]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        try:
            start = datetime.datetime.strptime(self.value(), "%Y-%m").replace(tzinfo=timezone.get_current_timezone())
        except ValueError:
            return queryset.none()
        end = (start + datetime.timedelta(days=32)).replace(day=1)
        return queryset.filter(created_at__gte=start, created_at__lt=end)


class PaymentEventInline(admin.TabularInline):
    """The donation's timeline: every provider event that named it, in the order they arrived."""

    model = PaymentEvent
    fields = ["received_at", "kind", "amount", "summary", "event_id"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "Timeline of payment events"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Donation)
class DonationAdmin(SupporterRecordAdmin):
    resource_classes = [DonationResource]
    list_display = ["reference", "created_at", "amount", "frequency", "status", "donor_name", "email",
                    "consent_to_contact"]  # fmt: skip
    list_filter = ["status", MonthFilter, "frequency", "provider", "dedication", "consent_to_contact"]
    search_fields = ["reference", "donor_name", "email", "provider_reference", "provider_payment"]
    date_hierarchy = "created_at"
    inlines = [PaymentEventInline]
    change_list_template = "admin/cytokines/donation/change_list.html"

    def get_urls(self):
        return [
            path("totals/", self.admin_site.admin_view(self.totals_view), name="cytokines_donation_totals"),
            path("accountant.csv", self.admin_site.admin_view(self.accountant_csv),
                 name="cytokines_donation_accountant_csv"),  # fmt: skip
            *super().get_urls(),
        ]

    def _filtered(self, request):
        """The donations the list shows with the same filters (state, month, search)."""
        return self.get_changelist_instance(request).get_queryset(request)

    def totals_view(self, request):
        if not self.has_view_permission(request):
            return HttpResponse(status=403)
        context = {
            **self.admin_site.each_context(request),
            "title": "Donations: totals per month",
            "rows": donation_totals_by_month(self._filtered(request)),
            "opts": self.model._meta,
            "changelist_url": reverse("admin:cytokines_donation_changelist"),
        }
        return TemplateResponse(request, "admin/cytokines/donation/totals.html", context)

    def accountant_csv(self, request):
        if not self.has_view_permission(request):
            return HttpResponse(status=403)
        response = HttpResponse(donations_accountant_csv(self._filtered(request)), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="donations-{timezone.localdate():%Y-%m-%d}.csv"'
        return response


@admin.register(MonthlyGift)
class MonthlyGiftAdmin(ReadOnlyAdmin):
    list_display = ["first_payment", "amount", "status", "started_at", "cancelled_at", "provider"]
    list_filter = ["status", "provider"]
    search_fields = ["first_payment__reference", "provider_subscription", "provider_customer"]
    list_select_related = ["first_payment"]


@admin.register(Subscriber)
class SubscriberAdmin(SupporterRecordAdmin):
    resource_classes = [SubscriberResource]
    list_display = ["email", "name", "zip_code", "status", "created_at", "confirmed_at"]
    list_filter = ["status", "created_at"]
    search_fields = ["email", "name", "zip_code"]
