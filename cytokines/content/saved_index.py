"""Buckets of the saved-pages index: each live page falls in one of ``BUCKETS`` by a hash of its slug.

The saved-pages page asks only for the buckets of the pages a reader saved, so the index it reads grows
with what the reader saved, not with the site; a bucket holds about 1/256 of all pages, so asking for
one does not tell us which page was saved. ``static/js/reader_tools.js`` computes the same hash.
"""

BUCKETS = 256
FNV_OFFSET = 0x811C9DC5
FNV_PRIME = 0x01000193


def slug_bucket(slug):
    """FNV-1a (32 bits) of the slug's UTF-8 bytes, modulo ``BUCKETS``: cheap to compute the same in a browser."""
    value = FNV_OFFSET
    for byte in slug.encode():
        value = ((value ^ byte) * FNV_PRIME) & 0xFFFFFFFF
    return value % BUCKETS
