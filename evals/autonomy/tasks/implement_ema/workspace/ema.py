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
        raise NotImplementedError("EMA is not implemented yet")

    def update(self, params):
        raise NotImplementedError("EMA.update is not implemented yet")

    def copy_to(self, params):
        raise NotImplementedError("EMA.copy_to is not implemented yet")
