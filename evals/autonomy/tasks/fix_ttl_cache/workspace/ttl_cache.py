"""A size-limited cache whose entries expire."""

import time


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
        self.ttl = ttl
        self.maxsize = maxsize
        self.clock = clock
        self._data = {}  # key -> (time stored, value)

    def get(self, key, default=None):
        """Return the value of live entry ``key``, or ``default``."""
        entry = self._data.get(key)
        if entry is None:
            return default
        stored, value = entry
        if self.clock() - stored > self.ttl:
            return default
        return value

    def put(self, key, value):
        """Store ``value`` under ``key`` (see the class docstring)."""
        if key in self._data:
            stored, _ = self._data[key]
            self._data[key] = (stored, value)
            return
        if len(self._data) >= self.maxsize:
            self._data.popitem()
        self._data[key] = (self.clock(), value)

    def purge(self):
        """Drop every expired entry and return how many were dropped."""
        now = self.clock()
        dead = [k for k, (t, _) in self._data.items() if now - t > self.ttl]
        for k in dead:
            del self._data[k]
        return len(dead)

    def __contains__(self, key):
        """True if ``key`` is live."""
        return key in self._data

    def __len__(self):
        """The number of live entries."""
        return len(self._data)
