"""The admin, one module per area. Importing them here registers every ModelAdmin with the site."""

from cytokines.admin import (
    agents,
    articles,
    glossary,
    library,
    mail_queue,
    newsletter,
    personal_data,
    records,
    site,
    supporters,
)

__all__ = [
    "agents", "articles", "glossary", "library", "mail_queue", "newsletter", "personal_data", "records", "site",
    "supporters",
]  # fmt: skip
