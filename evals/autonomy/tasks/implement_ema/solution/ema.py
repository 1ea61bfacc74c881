"""Exponential moving average (EMA) of model weights."""

import numpy as np


class EMA:
    """Exponential moving average of named numpy parameters.

    ``EMA(decay, warmup=False)``: ``decay`` must be in [0, 1), else ValueError.

    ``update(params)`` takes a dict mapping names to numpy arrays. Let ``n`` be
    the number of ``update`` calls made before this one. The decay used for
    this call is ``d = decay``, or, when ``warmup`` is True,
    ``d = min(decay, (1 + n) / (10 + n))``. For each name in ``params``:

    * if the name has no shadow yet, its shadow becomes a float64 copy of
      the array (whatever ``d`` is);
    * otherwise ``shadow = d * shadow + (1 - d) * param``, computed in float64;
      ValueError if the shapes differ (and then nothing is changed by
      this call).

    Names missing from ``params`` keep their shadow unchanged. Shadows never
    share memory with the arrays passed in, so later changes to those arrays
    do not affect them.

    Attributes:
        shadow: dict of name -> float64 array, the current averages.
        num_updates: the number of successful ``update`` calls so far.

    ``copy_to(params)`` writes each shadow into the array of the same name in
    ``params``, in place (``params[name][...] = shadow[name]``), for the names
    present in both; other names are left alone.
    """

    def __init__(self, decay, warmup=False):
        if not 0 <= decay < 1:
            raise ValueError("decay must be in [0, 1)")
        self.decay = decay
        self.warmup = warmup
        self.shadow = {}
        self.num_updates = 0

    def update(self, params):
        n = self.num_updates
        d = min(self.decay, (1 + n) / (10 + n)) if self.warmup else self.decay
        for name, value in params.items():
            if name in self.shadow and np.shape(value) != self.shadow[name].shape:
                raise ValueError(f"shape of {name!r} changed")
        for name, value in params.items():
            value = np.array(value, dtype=np.float64)
            if name in self.shadow:
                self.shadow[name] = np.asarray(d * self.shadow[name] + (1 - d) * value)
            else:
                self.shadow[name] = value
        self.num_updates += 1

    def copy_to(self, params):
        for name, array in params.items():
            if name in self.shadow:
                array[...] = self.shadow[name]
