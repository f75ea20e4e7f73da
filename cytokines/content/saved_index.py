"""Buckets of the saved-pages index: each live page falls in a bucket by a hash of its slug.

The saved-pages page asks only for the buckets of the pages a reader saved, so the index it reads grows
with what the reader saved, not with the site; a bucket holds many pages, so asking for one does not tell
us which page was saved. ``static/js/reader_tools.js`` computes the same hash.

How finely the index is split follows the size of the library: 256 buckets up to about 12,800 pages,
then twice as many each time the library doubles, up to ``STORED_BUCKETS``, so a bucket stays near
``PAGES_PER_BUCKET`` pages (and its cost flat) from 1,000 to 100,000 pages. Each revision stores its
hash modulo ``STORED_BUCKETS``; every count served divides it, so one stored number answers them all.
"""

MIN_BUCKETS = 256
STORED_BUCKETS = 4096
PAGES_PER_BUCKET = 50
BUCKET_COUNTS = tuple(MIN_BUCKETS * 2**k for k in range(5))  # 256 ... 4096
FNV_OFFSET = 0x811C9DC5
FNV_PRIME = 0x01000193


def slug_hash(slug):
    """FNV-1a (32 bits) of the slug's UTF-8 bytes: cheap to compute the same in a browser."""
    value = FNV_OFFSET
    for byte in slug.encode():
        value = ((value ^ byte) * FNV_PRIME) & 0xFFFFFFFF
    return value


def slug_bucket(slug, count=MIN_BUCKETS):
    """The bucket of ``slug`` when the index is split into ``count`` buckets."""
    return slug_hash(slug) % count


def stored_bucket(slug):
    """What a revision records (``index_bucket``)."""
    return slug_bucket(slug, STORED_BUCKETS)


def bucket_count(pages):
    """How many buckets an index of about ``pages`` pages is split into."""
    for count in BUCKET_COUNTS:
        if pages <= count * PAGES_PER_BUCKET:
            return count
    return STORED_BUCKETS


def stored_buckets(bucket, count):
    """The stored values that make up ``bucket`` of ``count``: those equal to it modulo ``count``."""
    return list(range(bucket, STORED_BUCKETS, count))
