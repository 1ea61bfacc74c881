"""Ranking and calibration metrics for binary classifiers.

All functions take ``y_true``, a sequence (list or numpy array) of labels
that are each 0 or 1 (ints, bools or floats equal to 0 or 1), and a sequence
of the same length of float scores or probabilities. They return a Python
float, and raise ValueError if the two sequences differ in length or are
empty, if a label is not 0 or 1, or if a score or probability is NaN.
Each must handle 300,000 examples in well under a few seconds.
"""

import numpy as np


def _inputs(y_true, values, probabilities):
    y = np.asarray(y_true, dtype=np.float64)
    v = np.asarray(values, dtype=np.float64)
    if y.ndim != 1 or y.shape != v.shape or y.size == 0:
        raise ValueError("y_true and the scores must be 1-D, non-empty and of the same length")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("labels must be 0 or 1")
    if np.isnan(v).any():
        raise ValueError("NaN score")
    if probabilities and ((v < 0).any() or (v > 1).any()):
        raise ValueError("probabilities must be in [0, 1]")
    return y, v


def roc_auc(y_true, scores):
    """Return the area under the ROC curve.

    That is the fraction of (positive, negative) example pairs in which the
    positive example has the higher score, a tie counting one half:
    ``(#{s_pos > s_neg} + 0.5 * #{s_pos == s_neg}) / (n_pos * n_neg)``.

    Raises:
        ValueError: also if there are no positive or no negative examples.
    """
    y, s = _inputs(y_true, scores, probabilities=False)
    n_pos = int(y.sum())
    n_neg = len(y) - n_pos
    if n_pos == 0 or n_neg == 0:
        raise ValueError("need both positive and negative examples")
    # average ranks (1-based), ties sharing the mean of their ranks
    order = np.argsort(s, kind="mergesort")
    sorted_s = s[order]
    ranks = np.empty(len(s))
    starts = np.r_[0, np.nonzero(np.diff(sorted_s))[0] + 1]
    ends = np.r_[starts[1:], len(s)]
    for_each = (starts + ends + 1) / 2.0  # mean of ranks start+1 .. end
    ranks[order] = np.repeat(for_each, ends - starts)
    rank_sum = ranks[y == 1].sum()
    return float((rank_sum - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg))


def expected_calibration_error(y_true, probs, n_bins=10):
    """Return the expected calibration error with ``n_bins`` equal-width bins.

    A probability ``p`` falls in bin ``min(int(p * n_bins), n_bins - 1)`` (so 1.0
    is in the last bin). The result is the sum over non-empty bins of
    ``(n_b / n) * abs(mean of y_true in the bin - mean of probs in the bin)``,
    ``n_b`` being the number of examples in the bin and ``n`` the total.

    Raises:
        ValueError: also if a probability is outside [0, 1] or ``n_bins`` < 1.
    """
    if n_bins < 1:
        raise ValueError("n_bins must be at least 1")
    y, p = _inputs(y_true, probs, probabilities=True)
    bins = np.minimum((p * n_bins).astype(np.int64), n_bins - 1)
    counts = np.bincount(bins, minlength=n_bins)
    y_sum = np.bincount(bins, weights=y, minlength=n_bins)
    p_sum = np.bincount(bins, weights=p, minlength=n_bins)
    used = counts > 0
    gaps = np.abs(y_sum[used] - p_sum[used])  # = n_b * |mean y - mean p|
    return float(gaps.sum() / len(y))


def log_loss(y_true, probs, eps=1e-15):
    """Return the mean binary cross-entropy.

    Each probability is first clipped to ``[eps, 1 - eps]``; the loss of an
    example is ``-(y * log(p) + (1 - y) * log(1 - p))``.

    Raises:
        ValueError: also if a probability is outside [0, 1].
    """
    y, p = _inputs(y_true, probs, probabilities=True)
    p = np.clip(p, eps, 1 - eps)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
