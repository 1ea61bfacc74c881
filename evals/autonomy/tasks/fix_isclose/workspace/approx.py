"""Compare floating-point numbers and sequences of them with a tolerance."""


def is_close(a, b, rel_tol=1e-9, abs_tol=0.0):
    """Return True if the numbers ``a`` and ``b`` are close to each other.

    ``a`` and ``b`` are close when ``abs(a - b) <= max(rel_tol * max(abs(a), abs(b)), abs_tol)``.
    The rule is symmetric: ``is_close(a, b) == is_close(b, a)`` always.

    Special values: an infinity is close only to an infinity of the same sign
    (whatever the tolerances); NaN is never close to anything, not even to NaN.

    Raises:
        ValueError: if ``rel_tol`` or ``abs_tol`` is negative.
    """
    if a == b:
        return True
    return abs(a - b) <= rel_tol * abs(b)


def all_close(xs, ys, rel_tol=1e-9, abs_tol=0.0):
    """Return True if the sequences have the same length and every pair is_close.

    ``xs[i]`` is compared with ``ys[i]`` using the given tolerances. Two empty
    sequences are all-close; sequences of different lengths never are.
    """
    return all(is_close(x, y) for x, y in zip(xs, ys))


def first_mismatch(xs, ys, rel_tol=1e-9, abs_tol=0.0):
    """Return the first index at which ``xs`` and ``ys`` differ, or None.

    The index ``i`` of the first pair ``xs[i]``, ``ys[i]`` that is not close
    (with the given tolerances) is returned. If every pair up to the length of
    the shorter sequence is close but the lengths differ, the result is that
    shorter length. If the sequences are all-close, the result is None.
    """
    for i in range(len(xs) - 1):
        if not is_close(xs[i], ys[i], rel_tol, abs_tol):
            return i
    return None
