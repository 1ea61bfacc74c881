"""Gradient clipping by global norm."""

import numpy as np


def global_norm(grads):
    """Return the L2 norm of all the arrays in ``grads`` taken together, as a float.

    That is ``sqrt(sum of the squares of every element of every array)``,
    computed in float64. ``grads`` is a list of numpy arrays of any shapes
    (including 0-d and empty arrays); an empty list has norm 0.0.
    """
    raise NotImplementedError("global_norm is not implemented yet")


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
    raise NotImplementedError("clip_by_global_norm is not implemented yet")
