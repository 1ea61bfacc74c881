"""Hidden check for fix_softmax_overflow. Run from the working directory: python3 check.py"""

import math
import os
import random
import signal
import sys
from decimal import Decimal, getcontext

sys.path.insert(0, ".")


def _timeout(*_):
    print("FAIL: check timed out")
    os._exit(1)


if hasattr(signal, "SIGALRM"):
    signal.signal(signal.SIGALRM, _timeout)
    signal.alarm(60)

try:
    from stable import log_softmax, logsumexp, softmax
except BaseException as exc:
    print(f"FAIL: cannot import from stable.py ({type(exc).__name__}: {exc})")
    sys.exit(1)

failures = []
total = 0
getcontext().prec = 50


def case(name, fn):
    global total
    total += 1
    try:
        fn()
    except AssertionError as exc:
        failures.append(f"{name}: {exc}")
    except BaseException as exc:
        failures.append(f"{name}: unexpected {type(exc).__name__}: {exc}")


def raises(exc_type, fn, *args):
    try:
        result = fn(*args)
    except exc_type:
        return
    except BaseException as exc:
        raise AssertionError(f"expected {exc_type.__name__}, got {type(exc).__name__}") from None
    raise AssertionError(f"expected {exc_type.__name__}, got {result!r}")


def ref_lse(xs):
    finite = [Decimal(x) for x in xs if x != -math.inf]
    if not finite:
        return -math.inf
    return float(sum((x.exp() for x in finite), Decimal(0)).ln())


def close(a, b, tol=1e-11):
    if a == b:
        return True
    return abs(a - b) <= tol * max(1.0, abs(a), abs(b))


rng = random.Random(77)
INPUTS = [[1000.0, 1000.0], [-1000.0], [0.0, -1000.0], [710.0, 0.0, -710.0], [1e4, 1e4 - 1],
          [-1e4, -1e4 - 2, -1e4 - 40], [0.0], [3.0, -math.inf, 1.0], [-745.0, -746.0],
          [1.0, 2.0, 3.0], [0.5] * 7]
for _ in range(300):
    scale = 10 ** rng.uniform(-2, 4)
    offset = rng.uniform(-1, 1) * 10 ** rng.uniform(0, 4)
    xs = [offset + rng.gauss(0, scale) for _ in range(rng.randint(1, 12))]
    if rng.random() < 0.15:
        xs.append(-math.inf)
        rng.shuffle(xs)
    INPUTS.append(xs)


def _lse():
    for xs in INPUTS:
        got, want = logsumexp(list(xs)), ref_lse(xs)
        assert close(got, want), f"logsumexp({xs[:4]}...) = {got!r}, expected {want!r}"


def _softmax():
    for xs in INPUTS:
        got = softmax(list(xs))
        lse = ref_lse(xs)
        assert isinstance(got, list) and len(got) == len(xs), f"bad result for {xs[:4]}"
        for x, p in zip(xs, got):
            want = 0.0 if x == -math.inf else float((Decimal(x) - Decimal(lse)).exp())
            assert abs(p - want) <= 1e-12 + 1e-9 * want, f"softmax({xs[:4]}...): {p!r} != {want!r}"
        assert abs(math.fsum(got) - 1.0) < 1e-9, f"softmax({xs[:4]}...) sums to {sum(got)}"


def _log_softmax():
    for xs in INPUTS:
        got = log_softmax(list(xs))
        lse = ref_lse(xs)
        assert isinstance(got, list) and len(got) == len(xs), f"bad result for {xs[:4]}"
        for x, lp in zip(xs, got):
            if x == -math.inf:
                assert lp == -math.inf, f"log_softmax({xs[:4]}...): -inf entry gave {lp!r}"
            else:
                want = float(Decimal(x) - Decimal(lse))
                assert abs(lp - want) <= 1e-9 * max(1.0, abs(x)), f"log_softmax({xs[:4]}...) {lp!r} != {want!r}"


case("logsumexp", _lse)
case("softmax", _softmax)
case("log_softmax", _log_softmax)


def _all_neg_inf():
    got = logsumexp([-math.inf, -math.inf])
    assert got == -math.inf, f"expected -inf, got {got!r}"


def _not_modified():
    xs = [3.0, 1.0]
    softmax(xs), log_softmax(xs), logsumexp(xs)
    assert xs == [3.0, 1.0], f"input changed to {xs!r}"


case("logsumexp all -inf", _all_neg_inf)
case("input not modified", _not_modified)
for fn in (logsumexp, softmax, log_softmax):
    case(f"{fn.__name__}([]) raises", lambda f=fn: raises(ValueError, f, []))
    case(f"{fn.__name__} with nan raises", lambda f=fn: raises(ValueError, f, [1.0, math.nan]))
    case(f"{fn.__name__} with +inf raises", lambda f=fn: raises(ValueError, f, [math.inf, 1.0]))
for fn in (softmax, log_softmax):
    case(f"{fn.__name__} all -inf raises", lambda f=fn: raises(ValueError, f, [-math.inf] * 3))

if failures:
    print(f"FAIL: {len(failures)} of {total} checks failed")
    for line in failures:
        print(f"  - {line}")
    sys.exit(1)
print(f"PASS: all {total} checks passed")
