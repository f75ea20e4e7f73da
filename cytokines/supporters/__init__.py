"""Supporters: donations, payments and the newsletter; their records, forms and pages."""
