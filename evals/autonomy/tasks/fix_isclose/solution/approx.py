"""Compare floating-point numbers and sequences of them with a tolerance."""

import math


def is_close(a, b, rel_tol=1e-9, abs_tol=0.0):
    """Return True if the numbers ``a`` and ``b`` are close to each other.

    ``a`` and ``b`` are close when ``abs(a - b) <= max(rel_tol * max(abs(a), abs(b)), abs_tol)``.
    The rule is symmetric: ``is_close(a, b) == is_close(b, a)`` always.

    Special values: an infinity is close only to an infinity of the same sign
    (whatever the tolerances); NaN is never close to anything, not even to NaN.

    Raises:
        ValueError: if ``rel_tol`` or ``abs_tol`` is negative.
    """
    if rel_tol < 0 or abs_tol < 0:
        raise ValueError("tolerances must not be negative")
    if math.isnan(a) or math.isnan(b):
        return False
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= max(rel_tol * max(abs(a), abs(b)), abs_tol)


def all_close(xs, ys, rel_tol=1e-9, abs_tol=0.0):
    """Return True if the sequences have the same length and every pair is_close.

    ``xs[i]`` is compared with ``ys[i]`` using the given tolerances. Two empty
    sequences are all-close; sequences of different lengths never are.
    """
    return first_mismatch(xs, ys, rel_tol, abs_tol) is None


def first_mismatch(xs, ys, rel_tol=1e-9, abs_tol=0.0):
    """Return the first index at which ``xs`` and ``ys`` differ, or None.

    The index ``i`` of the first pair ``xs[i]``, ``ys[i]`` that is not close
    (with the given tolerances) is returned. If every pair up to the length of
    the shorter sequence is close but the lengths differ, the result is that
    shorter length. If the sequences are all-close, the result is None.
    """
    n = min(len(xs), len(ys))
    for i in range(n):
        if not is_close(xs[i], ys[i], rel_tol, abs_tol):
            return i
    if len(xs) != len(ys):
        return n
    return None
