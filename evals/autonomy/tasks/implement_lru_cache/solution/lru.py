"""A least-recently-used (LRU) cache."""

from collections import OrderedDict


class LRUCache:
    """A fixed-capacity mapping that evicts the least recently used key.

    ``LRUCache(capacity)`` holds at most ``capacity`` keys. Keys can be any
    hashable objects and values any objects (including ``None``).

    Recency: a key becomes the *most recently used* when it is inserted or
    updated with ``put`` and when it is read with a successful ``get``.
    Nothing else changes recency: ``in``, ``len`` and a ``get`` of a missing
    key leave the order as it was.

    Eviction: when ``put`` inserts a new key while the cache already holds
    ``capacity`` keys, the least recently used key is removed first. Updating
    an existing key never evicts anything.

    Raises:
        ValueError: from the constructor if ``capacity`` is less than 1.
    """

    def __init__(self, capacity):
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self._capacity = capacity
        self._data = OrderedDict()

    def get(self, key, default=None):
        """Return the value stored for ``key`` and mark ``key`` as most recently used.

        If ``key`` is not in the cache, return ``default`` and change nothing.
        """
        if key not in self._data:
            return default
        self._data.move_to_end(key)
        return self._data[key]

    def put(self, key, value):
        """Store ``value`` under ``key`` and mark ``key`` as most recently used.

        Evicts the least recently used key first if ``key`` is new and the
        cache is full.
        """
        if key in self._data:
            self._data.move_to_end(key)
        elif len(self._data) >= self._capacity:
            self._data.popitem(last=False)
        self._data[key] = value

    def __len__(self):
        """Return the number of keys currently in the cache."""
        return len(self._data)

    def __contains__(self, key):
        """Return whether ``key`` is in the cache, without changing recency."""
        return key in self._data
