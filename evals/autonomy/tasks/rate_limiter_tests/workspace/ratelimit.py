"""A token-bucket rate limiter."""

import time


class TokenBucket:
    """Allow bursts of up to ``capacity`` requests and ``rate`` requests per second on average.

    ``TokenBucket(rate, capacity, clock=time.monotonic)``. ``clock()`` returns
    the current time in seconds; tests pass a fake clock. The bucket starts
    full (``capacity`` tokens). Tokens are added continuously at ``rate`` per
    second, but the bucket never holds more than ``capacity``. If the clock
    goes backwards between two calls, that interval adds (and removes) no
    tokens, and later intervals are measured from the new, earlier time.

    * ``allow(cost=1)``: if at least ``cost`` tokens are available now, take
      them and return True; otherwise take nothing and return False.
    * ``tokens()``: the number of tokens available now, as a float.
    * ``wait_time(cost=1)``: how many seconds from now until ``cost`` tokens
      will be available if nothing else is taken (0.0 if they are now).

    Raises:
        ValueError: from the constructor if ``rate`` or ``capacity`` is not
            positive; from ``allow`` and ``wait_time`` if ``cost`` is not
            positive or is more than ``capacity``.
    """

    def __init__(self, rate, capacity, clock=time.monotonic):
        if rate <= 0 or capacity <= 0:
            raise ValueError("rate and capacity must be positive")
        self.rate = rate
        self.capacity = capacity
        self.clock = clock
        self._tokens = capacity
        self._start = clock()

    def _refill(self):
        self._tokens = self._tokens + self.rate * (self.clock() - self._start)

    def tokens(self):
        self._refill()
        return float(self._tokens)

    def allow(self, cost=1):
        if cost <= 0:
            raise ValueError("cost must be positive")
        self._refill()
        if self._tokens >= cost:
            self._tokens -= cost
            return True
        return False

    def wait_time(self, cost=1):
        if cost <= 0:
            raise ValueError("cost must be positive")
        return cost / self.rate
