"""Early stopping for training loops."""

import math


class EarlyStopping:
    """Decide when to stop training because a validation metric stopped improving.

    ``EarlyStopping(patience=5, min_delta=0.0, mode="min")``

    Call ``step(metric)`` once per epoch. A metric is an *improvement* when:

    * it is the first metric ever seen (unless it is NaN), or
    * mode ``"min"``: ``metric < best - min_delta``;
    * mode ``"max"``: ``metric > best + min_delta``.

    A NaN metric is never an improvement. On an improvement, ``best`` becomes
    the metric, ``best_step`` becomes the 0-based index of this call to
    ``step`` and ``num_bad`` is reset to 0. Otherwise ``num_bad`` grows by 1.
    ``step`` returns True exactly when ``num_bad >= patience`` after the update
    (and keeps returning True on later non-improving calls).

    Attributes:
        best: the best metric so far (None before any improvement).
        best_step: the index of the call that produced ``best`` (None before).
        num_bad: the number of calls since the last improvement (or since the
            start, if there has been none).

    Raises:
        ValueError: from the constructor, if ``patience`` is less than 1,
            ``min_delta`` is negative, or ``mode`` is not "min" or "max".
    """

    def __init__(self, patience=5, min_delta=0.0, mode="min"):
        self.patience = patience
        self.min_delta = min_delta
        self.mode = mode
        self.best = 0.0
        self.best_step = None
        self.num_bad = 0
        self._calls = 0

    def _improved(self, metric):
        if self.mode == "min":
            return metric < self.best - self.min_delta
        return metric > self.best - self.min_delta

    def step(self, metric):
        """Record one epoch's metric; return True when training should stop."""
        if not math.isnan(metric) and self._improved(metric):
            self.best = metric
            self.best_step = self._calls
        else:
            self.num_bad += 1
        self._calls += 1
        return self.num_bad > self.patience
