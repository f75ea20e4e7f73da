"""Reads for supporter care: totals per month and the accountant's CSV. Writes live in ``donations``."""

import csv
import io

from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth

from cytokines.ops.formulas import escape_formula
from cytokines.supporters.models import Donation

Status = Donation.Status
ZERO = Value(0, output_field=DecimalField(max_digits=12, decimal_places=2))


def _total(status):
    return Coalesce(Sum("amount", filter=Q(status=status)), ZERO)


def donation_totals_by_month(queryset=None):
    """One row per month (of payment, or of the pledge when unpaid): counts and dollar totals per state."""
    queryset = Donation.objects.all() if queryset is None else queryset
    return list(
        queryset.annotate(month=TruncMonth(Coalesce("paid_at", "created_at")))
        .values("month")
        .annotate(
            gifts=Count("pk"),
            paid=_total(Status.PAID),
            refunded=_total(Status.REFUNDED),
            disputed=_total(Status.DISPUTED),
            pending=_total(Status.PENDING),
            failed=Count("pk", filter=Q(status=Status.FAILED)),
        )
        .order_by("-month")
    )


ACCOUNTANT_COLUMNS = ["reference", "date", "amount", "currency", "gift type", "status", "provider",
                      "provider payment", "provider invoice", "monthly gift of"]  # fmt: skip


def donations_accountant_csv(queryset):
    """The accountant's file: what is needed to match payouts and receipts, and no names or addresses."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(ACCOUNTANT_COLUMNS)
    rows = queryset.select_related("monthly_gift__first_payment").order_by("created_at", "pk")
    for d in rows.iterator(chunk_size=2000):
        when = d.paid_at or d.created_at
        writer.writerow([escape_formula(v) for v in (
            d.reference, when.date().isoformat(), f"{d.amount:.2f}", d.currency, d.gift_type, d.get_status_display(),
            d.provider, d.provider_payment, d.provider_invoice,
            d.monthly_gift.first_payment.reference if d.monthly_gift_id else "",
        )])  # fmt: skip
    return out.getvalue()
