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

    def __init__(self, data, parents=()):
        self.data = float(data)
        self.grad = 0.0
        self._parents = parents  # pairs (input Value, local derivative d self / d input)

    @staticmethod
    def _lift(x):
        return x if isinstance(x, Value) else Value(x)

    def __add__(self, other):
        other = self._lift(other)
        return Value(self.data + other.data, ((self, 1.0), (other, 1.0)))

    __radd__ = __add__

    def __neg__(self):
        return Value(-self.data, ((self, -1.0),))

    def __sub__(self, other):
        return self + (-self._lift(other))

    def __rsub__(self, other):
        return self._lift(other) + (-self)

    def __mul__(self, other):
        other = self._lift(other)
        return Value(self.data * other.data, ((self, other.data), (other, self.data)))

    __rmul__ = __mul__

    def __truediv__(self, other):
        return self * self._lift(other) ** -1

    def __rtruediv__(self, other):
        return self._lift(other) * self ** -1

    def __pow__(self, k):
        if isinstance(k, Value):
            raise TypeError("only constant exponents are supported")
        return Value(self.data ** k, ((self, k * self.data ** (k - 1)),))

    def exp(self):
        e = math.exp(self.data)
        return Value(e, ((self, e),))

    def log(self):
        return Value(math.log(self.data), ((self, 1.0 / self.data),))

    def tanh(self):
        t = math.tanh(self.data)
        return Value(t, ((self, 1.0 - t * t),))

    def sigmoid(self):
        s = 1.0 / (1.0 + math.exp(-self.data)) if self.data >= 0 else             math.exp(self.data) / (1.0 + math.exp(self.data))
        return Value(s, ((self, s * (1.0 - s)),))

    def relu(self):
        return Value(max(0.0, self.data), ((self, 1.0 if self.data > 0 else 0.0),))

    def _topological_order(self):
        """Every node of the graph, each after all of its inputs (iterative DFS)."""
        order, visited = [], set()
        stack = [(self, False)]
        while stack:
            node, finished = stack.pop()
            if finished:
                order.append(node)
                continue
            if id(node) in visited:
                continue
            visited.add(id(node))
            stack.append((node, True))
            for parent, _ in node._parents:
                if id(parent) not in visited:
                    stack.append((parent, False))
        return order

    def backward(self):
        order = self._topological_order()
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            for parent, local in node._parents:
                parent.grad += local * node.grad

    def __repr__(self):
        return f"Value(data={self.data!r}, grad={self.grad!r})"
