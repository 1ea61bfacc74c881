"""Softmax and friends for plain Python lists of floats."""

import math


def _validated(xs):
    xs = [float(x) for x in xs]
    if not xs:
        raise ValueError("xs must not be empty")
    for x in xs:
        if math.isnan(x) or x == math.inf:
            raise ValueError("xs must not contain +inf or NaN")
    return xs


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
    xs = _validated(xs)
    m = max(xs)
    if m == -math.inf:
        return -math.inf
    return m + math.log(math.fsum(math.exp(x - m) for x in xs))


def softmax(xs):
    """Return the list ``[exp(x) / sum(exp(y) for y in xs) for x in xs]``.

    The probabilities are accurate for entries of any magnitude and sum to 1
    (within rounding). ``-inf`` entries get probability 0.0.

    Raises:
        ValueError: if ``xs`` is empty, contains ``+inf`` or NaN, or every
            entry is ``-inf``.
    """
    xs = _validated(xs)
    m = max(xs)
    if m == -math.inf:
        raise ValueError("every entry is -inf")
    exps = [math.exp(x - m) for x in xs]
    total = math.fsum(exps)
    return [e / total for e in exps]


def log_softmax(xs):
    """Return the list ``[x - logsumexp(xs) for x in xs]``.

    Accurate even where the probability underflows: ``log_softmax([0.0, -1000.0])``
    is (very nearly) ``[0.0, -1000.0]``, not ``-inf``. ``-inf`` entries give ``-inf``.

    Raises:
        ValueError: as for ``softmax``.
    """
    xs = _validated(xs)
    lse = logsumexp(xs)
    if lse == -math.inf:
        raise ValueError("every entry is -inf")
    return [x - lse for x in xs]
