"""A local-memory cache that can be switched off, standing in for a Redis server that went away.

While ``FlakyCache.down`` is true every call raises ``ConnectionError``, as django-redis does when
the server refuses connections; the stored entries survive, as they would in a Redis that comes back.
"""

from django.core.cache.backends.locmem import LocMemCache

SETTINGS = {"default": {"BACKEND": "tests.flaky_cache.FlakyCache", "LOCATION": "flaky"}}


class FlakyCache(LocMemCache):
    down = False

    def _check(self):
        if FlakyCache.down:
            raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


def _guard(name):
    original = getattr(LocMemCache, name)

    def guarded(self, *args, **kwargs):
        self._check()
        return original(self, *args, **kwargs)

    guarded.__name__ = name
    return guarded


for _name in ("add", "get", "set", "touch", "delete", "has_key", "incr", "clear", "get_many", "set_many"):
    setattr(FlakyCache, _name, _guard(_name))
