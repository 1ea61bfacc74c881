"""Softmax and friends for plain Python lists of floats."""

import math


def logsumexp(xs):
    """Return ``log(sum(exp(x) for x in xs))`` without overflow or underflow.

    ``xs`` is a non-empty sequence of floats; entries may be ``-inf`` (which
    contribute nothing) but not ``+inf`` or NaN. If every entry is ``-inf`` the
    result is ``-inf``. The result must be accurate (relative error around
    1e-12) even when the entries are huge, e.g. ``[1000.0, 1000.0]`` gives
    ``1000 + log(2)``, or very negative, e.g. ``[-1000.0]`` gives ``-1000.0``.

    Raises:
        ValueError: if ``xs`` is empty or contains ``+inf`` or NaN.
    """
    return math.log(sum(math.exp(x) for x in xs))


def softmax(xs):
    """Return the list ``[exp(x) / sum(exp(y) for y in xs) for x in xs]``.

    The probabilities are accurate for entries of any magnitude and sum to 1
    (within rounding). ``-inf`` entries get probability 0.0.

    Raises:
        ValueError: if ``xs`` is empty, contains ``+inf`` or NaN, or every
            entry is ``-inf``.
    """
    total = sum(math.exp(x) for x in xs)
    return [math.exp(x) / total for x in xs]


def log_softmax(xs):
    """Return the list ``[x - logsumexp(xs) for x in xs]``.

    Accurate even where the probability underflows: ``log_softmax([0.0, -1000.0])``
    is (very nearly) ``[0.0, -1000.0]``, not ``-inf``. ``-inf`` entries give ``-inf``.

    Raises:
        ValueError: as for ``softmax``.
    """
    return [math.log(p) for p in softmax(xs)]
