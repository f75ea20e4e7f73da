"""Supporter records: read-only lists with export, for the Supporter care group only."""

from django.contrib import admin
from import_export.admin import ExportMixin

from cytokines.admin.base import ReadOnlyAdmin
from cytokines.supporters.exports import DonationResource, SubscriberResource
from cytokines.supporters.models import Donation, Subscriber
from cytokines.transfer.spreadsheets import SPREADSHEET_FORMATS


class SupporterRecordAdmin(ExportMixin, ReadOnlyAdmin):
    """Supporter records are written only by the public forms and the payment webhook, never by hand here."""

    formats = SPREADSHEET_FORMATS


@admin.register(Donation)
class DonationAdmin(SupporterRecordAdmin):
    resource_classes = [DonationResource]
    list_display = ["reference", "created_at", "amount", "frequency", "status", "donor_name", "email",
                    "consent_to_contact"]  # fmt: skip
    list_filter = ["status", "frequency", "dedication", "consent_to_contact", "created_at"]
    search_fields = ["reference", "donor_name", "email", "provider_reference"]
    date_hierarchy = "created_at"


@admin.register(Subscriber)
class SubscriberAdmin(SupporterRecordAdmin):
    resource_classes = [SubscriberResource]
    list_display = ["email", "name", "zip_code", "status", "created_at", "confirmed_at"]
    list_filter = ["status", "created_at"]
    search_fields = ["email", "name", "zip_code"]
