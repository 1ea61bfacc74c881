"""Sampling the next token from a language model's logits."""

import numpy as np


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
    raise NotImplementedError("filter_probs is not implemented yet")


def sample(logits, rng, temperature=1.0, top_k=None, top_p=None):
    """Draw one token index from ``filter_probs(logits, temperature, top_k, top_p)``.

    Calls ``rng.random()`` exactly once (``rng`` is a ``random.Random``) to get
    ``u`` in [0, 1), and returns the smallest index ``i`` such that
    ``u < probs[0] + ... + probs[i]``, the cumulative sum taken in index order.
    If rounding leaves no such index, the largest index with a non-zero
    probability is returned. The result is a Python ``int``.
    """
    raise NotImplementedError("sample is not implemented yet")
