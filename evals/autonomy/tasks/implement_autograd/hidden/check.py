"""Hidden check for implement_autograd. Run from the working directory: python3 check.py

Gradients are compared with exact derivatives computed by forward-mode dual numbers.
"""

import math
import os
import random
import signal
import sys
import time

sys.path.insert(0, ".")


def _timeout(*_):
    print("FAIL: check timed out")
    os._exit(1)


if hasattr(signal, "SIGALRM"):
    signal.signal(signal.SIGALRM, _timeout)
    signal.alarm(90)

try:
    from scalar_grad import Value
except BaseException as exc:
    print(f"FAIL: cannot import Value from scalar_grad.py ({type(exc).__name__}: {exc})")
    sys.exit(1)

failures = []
total = 0


def case(name, fn):
    global total
    total += 1
    try:
        fn()
    except AssertionError as exc:
        failures.append(f"{name}: {exc}")
    except BaseException as exc:
        failures.append(f"{name}: unexpected {type(exc).__name__}: {exc}")


class Dual:
    def __init__(self, v, d=0.0):
        self.v, self.d = float(v), float(d)

    @staticmethod
    def lift(x):
        return x if isinstance(x, Dual) else Dual(x)

    def __add__(self, o):
        o = Dual.lift(o)
        return Dual(self.v + o.v, self.d + o.d)

    __radd__ = __add__

    def __neg__(self):
        return Dual(-self.v, -self.d)

    def __sub__(self, o):
        o = Dual.lift(o)
        return Dual(self.v - o.v, self.d - o.d)

    def __rsub__(self, o):
        return Dual.lift(o) - self

    def __mul__(self, o):
        o = Dual.lift(o)
        return Dual(self.v * o.v, self.d * o.v + self.v * o.d)

    __rmul__ = __mul__

    def __truediv__(self, o):
        o = Dual.lift(o)
        return Dual(self.v / o.v, (self.d * o.v - self.v * o.d) / (o.v * o.v))

    def __rtruediv__(self, o):
        return Dual.lift(o) / self

    def __pow__(self, k):
        return Dual(self.v ** k, k * self.v ** (k - 1) * self.d)

    def exp(self):
        e = math.exp(self.v)
        return Dual(e, e * self.d)

    def log(self):
        return Dual(math.log(self.v), self.d / self.v)

    def tanh(self):
        t = math.tanh(self.v)
        return Dual(t, (1 - t * t) * self.d)

    def sigmoid(self):
        s = 1 / (1 + math.exp(-self.v))
        return Dual(s, s * (1 - s) * self.d)

    def relu(self):
        return Dual(max(0.0, self.v), self.d if self.v > 0 else 0.0)


def random_program(rng, n_leaves, n_ops):
    prog = []
    n = n_leaves
    for _ in range(n_ops):
        i, j = rng.randrange(n), rng.randrange(n)
        c = rng.choice([2, -1.5, 0.5, 3])
        op = rng.choice(["add", "sub", "mul", "div", "neg", "radd", "rsub", "rmul", "rdiv", "pow2",
                         "powf", "exp", "log", "tanh", "sigmoid", "relu", "addc", "mulc"])
        prog.append((op, i, j, c))
        n += 1
    return prog


def run(prog, nodes):
    nodes = list(nodes)
    for op, i, j, c in prog:
        a, b = nodes[i], nodes[j]
        if op == "add":
            r = a + b
        elif op == "sub":
            r = a - b
        elif op == "mul":
            r = a * b
        elif op == "div":
            r = a / (b * b + 1)
        elif op == "neg":
            r = -a
        elif op == "radd":
            r = c + a
        elif op == "rsub":
            r = c - a
        elif op == "rmul":
            r = c * a
        elif op == "rdiv":
            r = c / (a * a + 0.5)
        elif op == "pow2":
            r = a ** 2
        elif op == "powf":
            r = (a * a + 0.25) ** 1.5
        elif op == "exp":
            r = (a * 0.1).tanh().exp()
        elif op == "log":
            r = (a * a + 1).log()
        elif op == "tanh":
            r = a.tanh()
        elif op == "sigmoid":
            r = a.sigmoid()
        elif op == "relu":
            r = (a + 0.001).relu()
        elif op == "addc":
            r = a + c
        else:
            r = a * c
        r = r.tanh() * 3 if abs(r.data if isinstance(r, Value) else r.v) > 50 else r
        nodes.append(r)
    return nodes


def close(a, b, tol=1e-7):
    return math.isclose(a, b, rel_tol=tol, abs_tol=tol)


def _random_graphs():
    rng = random.Random(77)
    for trial in range(150):
        n_leaves = rng.randint(1, 4)
        prog = random_program(rng, n_leaves, rng.randint(1, 25))
        xs = [rng.uniform(-2, 2) for _ in range(n_leaves)]
        leaves = [Value(x) for x in xs]
        nodes = run(prog, leaves)
        out = nodes[-1]
        plain = run(prog, [Dual(x) for x in xs])
        assert all(isinstance(v, Value) for v in nodes[n_leaves:]), f"trial {trial}: an operation did not return a Value"
        for k, (v, d) in enumerate(zip(nodes, plain)):
            assert close(v.data, d.v), f"trial {trial}: node {k} has data {v.data!r}, expected {d.v!r}"
        out.backward()
        assert out.grad == 1.0, f"trial {trial}: output grad {out.grad!r}, expected 1.0"
        for k in range(len(nodes)):
            if nodes[k] is out:
                continue
            first = max(0, k - n_leaves + 1)
            upto = run(prog[:first], [Dual(x) for x in xs])  # nodes 0..k, all derivatives 0
            upto[k] = Dual(upto[k].v, 1.0)  # seed node k: d node / d node = 1
            want = run(prog[first:], upto)[-1].d
            got = nodes[k].grad
            assert close(got, want, 1e-6), f"trial {trial}: d out / d node{k} = {got!r}, expected {want!r} (program {prog})"
        before = [v.grad for v in nodes]
        out.backward()
        assert [v.grad for v in nodes] == before, f"trial {trial}: calling backward twice changed the gradients"


def _reuse():
    x = Value(3.0)
    y = x * x + x * 2 + 1
    z = y * y
    z.backward()
    want = 2 * (9 + 6 + 1) * (2 * 3 + 2)
    assert close(x.grad, want), f"d/dx ((x^2+2x+1)^2) at 3 = {x.grad!r}, expected {want}"
    a = Value(2.0)
    b = a + a + a
    b.backward()
    assert b.grad == 1.0 and a.grad == 3.0, f"a + a + a: grad {a.grad!r}, expected 3.0"


def _relu_zero():
    a = Value(0.0)
    out = a.relu()
    out.backward()
    assert a.grad == 0.0 and out.data == 0.0, "relu at 0"


def _reverse_ops():
    a = Value(4.0)
    cases = [(1 - a, -3.0, -1.0), (3 / a, 0.75, -3 / 16), (2 * a, 8.0, 2.0), (5 + a, 9.0, 1.0),
             (a / 2, 2.0, 0.5), (a - 1.5, 2.5, 1.0), (a ** 0.5, 2.0, 0.25), (-a, -4.0, -1.0)]
    for out, value, grad in cases:
        out.backward()
        assert close(out.data, value) and close(a.grad, grad), f"value {out.data}, grad {a.grad}, expected {value}, {grad}"


def _deep():
    x = Value(0.5)
    y = x
    start = time.perf_counter()
    for _ in range(100_000):
        y = y * 1.0 + 0.0
    y = y * 3
    y.backward()
    assert close(x.grad, 3.0), f"deep chain gradient {x.grad!r}, expected 3.0"
    assert time.perf_counter() - start < 30, "a 100,000-step chain is far too slow"


def _unrelated():
    a, b = Value(1.0), Value(2.0)
    b.grad = 5.0
    (a * 2).backward()
    assert b.grad == 5.0, "backward touched a Value that is not in the graph"


case("random expression graphs", _random_graphs)
case("nodes used several times", _reuse)
case("relu at 0", _relu_zero)
case("numbers on either side", _reverse_ops)
case("a 100,000-step chain", _deep)
case("values outside the graph", _unrelated)

if failures:
    print(f"FAIL: {len(failures)} of {total} checks failed")
    for line in failures:
        print(f"  - {line[:600]}")
    sys.exit(1)
print(f"PASS: all {total} checks passed")
