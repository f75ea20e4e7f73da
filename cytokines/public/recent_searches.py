"""Search results rendered lately, kept in this process.

Readers ask the same few things again and again ("interleukin", "fever", a brand name), and each search
otherwise ranks its matches in PostgreSQL and renders up to 60 result cards. The shared cache cannot hold
them: its keys must be bounded by the content (``public/cache.py``), and a search can be any text. So the
rendered results are kept here, in each app process:

- at most ``SIZE`` searches per process, the least recently used dropped first: someone sending endless
  new searches only pushes older ones out, memory stays bounded (a few megabytes);
- under the content version they were rendered at, and with the templates' stamp: a publish, a settings
  change or a deploy retires them all, on every process at once;
- never when the content version is unknown (the shared cache is down): every search is then run.
"""

import threading
from collections import OrderedDict

from cytokines.public import fragments

SIZE = 256


class _Recent:
    def __init__(self, size):
        self.size, self.lock, self.entries = size, threading.Lock(), OrderedDict()

    def get(self, key):
        with self.lock:
            html = self.entries.get(key)
            if html is not None:
                self.entries.move_to_end(key)
            return html

    def put(self, key, html):
        with self.lock:
            self.entries[key] = html
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self):
        with self.lock:
            self.entries.clear()


_recent = _Recent(SIZE)


def results(version, language, query, page, render):
    """The rendered results of ``query`` (``render()`` makes them when they are not kept for this version)."""
    key = fragments.key("search", version, language, page, query)
    if key is None:
        return render()
    html = _recent.get(key)
    if html is None:
        html = render()
        _recent.put(key, html)
    return html


def forget():
    """For tests: an empty store."""
    _recent.clear()


def kept():
    """How many searches this process keeps (tests check the bound)."""
    return len(_recent.entries)
