"""Streaming summary statistics."""

import math


class RunningStats:
    """Count, mean, variance, min and max of a stream of numbers, in O(1) memory.

    ``push(x)`` adds one number, ``extend(xs)`` adds every number of an
    iterable. Results must be accurate (relative error about 1e-9 or better
    for the mean, 1e-4 for the variance) even for data such as
    ``1e9 + small noise``, so summing squares naively is not good enough.

    * ``count``: the number of values pushed (an int attribute, 0 at first).
    * ``mean()``: their mean. ValueError if ``count == 0``.
    * ``variance(ddof=0)``: ``sum((x - mean) ** 2) / (count - ddof)``.
      ValueError if ``count - ddof <= 0``.
    * ``std(ddof=0)``: the square root of ``variance(ddof)``.
    * ``min()`` / ``max()``: the smallest / largest value. ValueError if empty.
    * ``merge(other)``: return a new RunningStats equal (up to rounding) to one
      that had every value of ``self`` and of ``other`` pushed into it; neither
      ``self`` nor ``other`` is changed. Either may be empty.
    """

    def __init__(self):
        self.count = 0
        self._mean = 0.0
        self._m2 = 0.0  # sum of squared deviations from the mean (Welford)
        self._min = math.inf
        self._max = -math.inf

    def push(self, x):
        x = float(x)
        self.count += 1
        delta = x - self._mean
        self._mean += delta / self.count
        self._m2 += delta * (x - self._mean)
        self._min = min(self._min, x)
        self._max = max(self._max, x)

    def extend(self, xs):
        for x in xs:
            self.push(x)

    def _need(self, n):
        if self.count < n:
            raise ValueError("not enough values")

    def mean(self):
        self._need(1)
        return self._mean

    def variance(self, ddof=0):
        if self.count - ddof <= 0:
            raise ValueError("not enough values for this ddof")
        return self._m2 / (self.count - ddof)

    def std(self, ddof=0):
        return math.sqrt(self.variance(ddof))

    def min(self):
        self._need(1)
        return self._min

    def max(self):
        self._need(1)
        return self._max

    def merge(self, other):
        out = RunningStats()
        n = self.count + other.count
        if n == 0:
            return out
        delta = other._mean - self._mean
        out.count = n
        out._mean = self._mean + delta * other.count / n
        out._m2 = self._m2 + other._m2 + delta * delta * self.count * other.count / n
        out._min = min(self._min, other._min)
        out._max = max(self._max, other._max)
        return out
