"""Gradient clipping by global norm."""

import math

import numpy as np


def global_norm(grads):
    """Return the L2 norm of all the arrays in ``grads`` taken together, as a float.

    That is ``sqrt(sum of the squares of every element of every array)``,
    computed in float64. ``grads`` is a list of numpy arrays of any shapes
    (including 0-d and empty arrays); an empty list has norm 0.0.
    """
    total = 0.0
    for g in grads:
        g = np.asarray(g, dtype=np.float64)
        total += float(np.sum(g * g))
    return math.sqrt(total)


def clip_by_global_norm(grads, max_norm, eps=1e-6):
    """Rescale ``grads`` so that their global norm is at most about ``max_norm``.

    Let ``norm = global_norm(grads)``. If ``norm > max_norm`` every array is
    multiplied by ``max_norm / (norm + eps)``; otherwise the arrays are
    unchanged.

    Returns:
        ``(clipped, norm)``: ``clipped`` is a list of new arrays (never the
        input arrays themselves; the inputs are not modified), each with the
        shape of its input and dtype float64, and ``norm`` is the global norm
        before clipping, as a float.

    Raises:
        ValueError: if ``max_norm`` is not positive, or if ``norm`` is NaN or
            infinite.
    """
    if not max_norm > 0:
        raise ValueError("max_norm must be positive")
    norm = global_norm(grads)
    if not math.isfinite(norm):
        raise ValueError("the gradient norm is not finite")
    scale = max_norm / (norm + eps) if norm > max_norm else 1.0
    clipped = []
    for g in grads:
        c = np.array(g, dtype=np.float64)  # a new array, even for 0-d inputs
        c *= scale
        clipped.append(c)
    return clipped, norm
