"""A tiny reverse-mode automatic differentiation engine for scalars."""

import math


class Value:
    """A scalar in a computation graph, with reverse-mode differentiation.

    ``Value(data)`` wraps a number; ``.data`` is its float value and ``.grad``
    its gradient, 0.0 until ``backward`` sets it.

    Operations return new Values that remember their inputs:

    * ``a + b``, ``a - b``, ``a * b``, ``a / b`` and ``-a``, where either side
      may be a Value or a plain int/float (``2 * a``, ``1 - a`` and ``3 / a``
      must work too);
    * ``a ** k`` for a constant int or float ``k`` (not a Value);
    * ``a.exp()``, ``a.log()`` (natural log), ``a.tanh()``, ``a.sigmoid()``
      (``1 / (1 + exp(-x))``) and ``a.relu()`` (``max(0, x)``, whose
      derivative is taken to be 0 at 0).

    ``out.backward()`` computes, for every Value ``v`` that ``out`` depends on
    (including ``out`` itself), ``v.grad = d out / d v``. First it resets to
    0.0 the ``.grad`` of every Value in ``out``'s graph, so calling it twice
    gives the same result; then ``out.grad`` is 1.0. A Value used several
    times receives the sum of the gradients of all its uses. Graphs may be
    very deep (chains of 100,000 operations), so ``backward`` must not recurse
    once per node.
    """

    def __init__(self, data):
        raise NotImplementedError("Value is not implemented yet")

    def __add__(self, other):
        raise NotImplementedError

    def __mul__(self, other):
        raise NotImplementedError

    def __pow__(self, k):
        raise NotImplementedError

    def exp(self):
        raise NotImplementedError

    def log(self):
        raise NotImplementedError

    def tanh(self):
        raise NotImplementedError

    def sigmoid(self):
        raise NotImplementedError

    def relu(self):
        raise NotImplementedError

    def backward(self):
        raise NotImplementedError
