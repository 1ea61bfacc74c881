"""Sampling the next token from a language model's logits."""

import numpy as np


def _order(probs):
    """Token indices by probability, highest first, ties by lower index."""
    return np.lexsort((np.arange(len(probs)), -probs))


def filter_probs(logits, temperature=1.0, top_k=None, top_p=None):
    """Return the next-token distribution after temperature, top-k and top-p.

    ``logits`` is a non-empty 1-D sequence (list or numpy array) of floats;
    entries may be ``-inf`` (such tokens get probability 0) but at least one
    must be finite. Steps, in this order:

    1. ``probs = softmax(logits / temperature)``, computed stably (logits of
       magnitude 1e4 must work).
    2. If ``top_k`` is not None: keep the ``top_k`` tokens with the highest
       probability (all of them if ``top_k`` >= the number of tokens); among
       equal probabilities, lower indices are kept first. Set the others to 0
       and renormalize so the probabilities sum to 1.
    3. If ``top_p`` is not None: order the tokens by probability, highest
       first (ties: lower index first), and keep the shortest prefix of that
       order whose cumulative probability is at least ``top_p - 1e-9``. Set
       the others to 0 and renormalize.

    Returns:
        A float64 numpy array of the same length as ``logits`` that sums to 1.

    Raises:
        ValueError: if ``logits`` is empty or has no finite entry, if
            ``temperature`` is not positive, if ``top_k`` is not None and less
            than 1, or if ``top_p`` is not None and not in (0, 1].
    """
    logits = np.asarray(logits, dtype=np.float64)
    if logits.ndim != 1 or logits.size == 0 or not np.isfinite(logits).any():
        raise ValueError("logits must be a non-empty 1-D array with a finite entry")
    if not temperature > 0:
        raise ValueError("temperature must be positive")
    if top_k is not None and top_k < 1:
        raise ValueError("top_k must be at least 1")
    if top_p is not None and not 0 < top_p <= 1:
        raise ValueError("top_p must be in (0, 1]")
    scaled = logits / temperature
    scaled = scaled - np.max(scaled)
    probs = np.exp(scaled)
    probs /= probs.sum()
    if top_k is not None and top_k < len(probs):
        keep = _order(probs)[:top_k]
        mask = np.zeros(len(probs), dtype=bool)
        mask[keep] = True
        probs = np.where(mask, probs, 0.0)
        probs /= probs.sum()
    if top_p is not None:
        order = _order(probs)
        cumulative = np.cumsum(probs[order])
        count = int(np.searchsorted(cumulative, top_p - 1e-9)) + 1
        mask = np.zeros(len(probs), dtype=bool)
        mask[order[:count]] = True
        probs = np.where(mask, probs, 0.0)
        probs /= probs.sum()
    return probs


def sample(logits, rng, temperature=1.0, top_k=None, top_p=None):
    """Draw one token index from ``filter_probs(logits, temperature, top_k, top_p)``.

    Calls ``rng.random()`` exactly once (``rng`` is a ``random.Random``) to get
    ``u`` in [0, 1), and returns the smallest index ``i`` such that
    ``u < probs[0] + ... + probs[i]``, the cumulative sum taken in index order.
    If rounding leaves no such index, the largest index with a non-zero
    probability is returned. The result is a Python ``int``.
    """
    probs = filter_probs(logits, temperature, top_k, top_p)
    u = rng.random()
    cumulative = np.cumsum(probs)
    hits = np.nonzero(u < cumulative)[0]
    if len(hits):
        return int(hits[0])
    return int(np.nonzero(probs)[0][-1])
