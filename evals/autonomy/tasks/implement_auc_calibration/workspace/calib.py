"""Ranking and calibration metrics for binary classifiers.

All functions take ``y_true``, a sequence (list or numpy array) of labels
that are each 0 or 1 (ints, bools or floats equal to 0 or 1), and a sequence
of the same length of float scores or probabilities. They return a Python
float, and raise ValueError if the two sequences differ in length or are
empty, if a label is not 0 or 1, or if a score or probability is NaN.
Each must handle 300,000 examples in well under a few seconds.
"""


def roc_auc(y_true, scores):
    """Return the area under the ROC curve.

    That is the fraction of (positive, negative) example pairs in which the
    positive example has the higher score, a tie counting one half:
    ``(#{s_pos > s_neg} + 0.5 * #{s_pos == s_neg}) / (n_pos * n_neg)``.

    Raises:
        ValueError: also if there are no positive or no negative examples.
    """
    raise NotImplementedError


def expected_calibration_error(y_true, probs, n_bins=10):
    """Return the expected calibration error with ``n_bins`` equal-width bins.

    A probability ``p`` falls in bin ``min(int(p * n_bins), n_bins - 1)`` (so 1.0
    is in the last bin). The result is the sum over non-empty bins of
    ``(n_b / n) * abs(mean of y_true in the bin - mean of probs in the bin)``,
    ``n_b`` being the number of examples in the bin and ``n`` the total.

    Raises:
        ValueError: also if a probability is outside [0, 1] or ``n_bins`` < 1.
    """
    raise NotImplementedError


def log_loss(y_true, probs, eps=1e-15):
    """Return the mean binary cross-entropy.

    Each probability is first clipped to ``[eps, 1 - eps]``; the loss of an
    example is ``-(y * log(p) + (1 - y) * log(1 - p))``.

    Raises:
        ValueError: also if a probability is outside [0, 1].
    """
    raise NotImplementedError
