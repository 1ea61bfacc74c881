"""Streaming summary statistics."""


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
        raise NotImplementedError("RunningStats is not implemented yet")

    def push(self, x):
        raise NotImplementedError

    def extend(self, xs):
        raise NotImplementedError

    def mean(self):
        raise NotImplementedError

    def variance(self, ddof=0):
        raise NotImplementedError

    def std(self, ddof=0):
        raise NotImplementedError

    def min(self):
        raise NotImplementedError

    def max(self):
        raise NotImplementedError

    def merge(self, other):
        raise NotImplementedError
