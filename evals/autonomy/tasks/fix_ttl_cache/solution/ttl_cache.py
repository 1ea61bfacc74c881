"""A size-limited cache whose entries expire."""

import time
from collections import OrderedDict


class TTLCache:
    """Map keys to values for ``ttl`` seconds, holding at most ``maxsize`` live entries.

    ``TTLCache(ttl, maxsize, clock=time.monotonic)``: ``clock()`` returns the
    current time in seconds (tests pass a fake clock).

    * An entry stored by ``put`` at time ``t`` is *live* while
      ``clock() - t < ttl`` and *expired* from the moment ``clock() - t >= ttl``.
      Expired entries behave exactly as if they were absent.
    * ``put`` on a key that is live replaces its value and restarts its
      lifetime (its time becomes now).
    * When ``put`` adds a key that is not live and the cache already holds
      ``maxsize`` live entries, the live entry with the oldest time is evicted
      first (of entries with the same time, the one stored first). Expired
      entries never count towards ``maxsize``.
    * ``get`` never changes an entry's time.

    Raises:
        ValueError: from the constructor if ``ttl`` is not positive or
            ``maxsize`` is less than 1.
    """

    def __init__(self, ttl, maxsize, clock=time.monotonic):
        if not ttl > 0:
            raise ValueError("ttl must be positive")
        if maxsize < 1:
            raise ValueError("maxsize must be at least 1")
        self.ttl = ttl
        self.maxsize = maxsize
        self.clock = clock
        self._data = OrderedDict()  # key -> (time stored, value), oldest first

    def _live(self, entry, now):
        return now - entry[0] < self.ttl

    def get(self, key, default=None):
        """Return the value of live entry ``key``, or ``default``."""
        entry = self._data.get(key)
        if entry is None or not self._live(entry, self.clock()):
            return default
        return entry[1]

    def put(self, key, value):
        """Store ``value`` under ``key`` (see the class docstring)."""
        self.purge()
        now = self.clock()
        if key in self._data:
            del self._data[key]
        elif len(self._data) >= self.maxsize:
            self._data.popitem(last=False)
        self._data[key] = (now, value)

    def purge(self):
        """Drop every expired entry and return how many were dropped."""
        now = self.clock()
        dead = [k for k, entry in self._data.items() if not self._live(entry, now)]
        for k in dead:
            del self._data[k]
        return len(dead)

    def __contains__(self, key):
        """True if ``key`` is live."""
        entry = self._data.get(key)
        return entry is not None and self._live(entry, self.clock())

    def __len__(self):
        """The number of live entries."""
        now = self.clock()
        return sum(1 for entry in self._data.values() if self._live(entry, now))
