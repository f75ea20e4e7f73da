"""What a spreadsheet row of a donation or subscriber looks like (export only: supporters are never imported)."""

from import_export import fields, resources

from cytokines.supporters.models import Donation, Subscriber


class DonationResource(resources.ModelResource):
    class Meta:
        model = Donation
        fields = [
            "reference",
            "created_at",
            "amount",
            "currency",
            "frequency",
            "status",
            "donor_name",
            "email",
            "dedication",
            "dedication_name",
            "consent_to_contact",
            "provider",
            "provider_reference",
            "paid_at",
        ]
        export_order = fields


class SubscriberResource(resources.ModelResource):
    interests = fields.Field(attribute="interests", column_name="interests")

    class Meta:
        model = Subscriber
        fields = [
            "email",
            "name",
            "zip_code",
            "interests",
            "status",
            "consent_at",
            "confirmed_at",
            "unsubscribed_at",
            "created_at",
        ]
        export_order = fields

    def dehydrate_interests(self, subscriber):
        return ", ".join(subscriber.interests or [])
