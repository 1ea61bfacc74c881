"""Hidden check for fix_isclose. Run from the working directory: python3 check.py"""

import math
import os
import random
import signal
import sys

sys.path.insert(0, ".")


def _timeout(*_):
    print("FAIL: check timed out")
    os._exit(1)


if hasattr(signal, "SIGALRM"):
    signal.signal(signal.SIGALRM, _timeout)
    signal.alarm(60)

try:
    from approx import all_close, first_mismatch, is_close
except BaseException as exc:
    print(f"FAIL: cannot import from approx.py ({type(exc).__name__}: {exc})")
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


def raises(exc_type, fn, *args):
    try:
        result = fn(*args)
    except exc_type:
        return
    except BaseException as exc:
        raise AssertionError(f"expected {exc_type.__name__}, got {type(exc).__name__}") from None
    raise AssertionError(f"expected {exc_type.__name__}, got {result!r}")


def ref_mismatch(xs, ys, rel, abs_):
    n = min(len(xs), len(ys))
    for i in range(n):
        if not math.isclose(xs[i], ys[i], rel_tol=rel, abs_tol=abs_):
            return i
    return n if len(xs) != len(ys) else None


def assert_(cond, msg="condition failed"):
    assert cond, msg


rng = random.Random(4242)
INF, NAN = math.inf, math.nan
SPECIAL = [0.0, -0.0, 1.0, -1.0, 1e-300, 1e300, INF, -INF, NAN, 1.0 + 1e-10, 1e-9, 2.0]


def pairs():
    out = [(x, y) for x in SPECIAL for y in SPECIAL]
    for _ in range(3000):
        x = rng.uniform(-1, 1) * 10 ** rng.randint(-12, 12)
        kind = rng.random()
        if kind < 0.4:
            y = x * (1 + rng.uniform(-1, 1) * 10 ** rng.randint(-12, -3))
        elif kind < 0.7:
            y = x + rng.uniform(-1, 1) * 10 ** rng.randint(-14, 0)
        else:
            y = rng.uniform(-1, 1) * 10 ** rng.randint(-12, 12)
        out.append((x, y))
    return out


TOLS = [(1e-9, 0.0), (1e-3, 0.0), (0.0, 1e-6), (1e-6, 1e-3), (0.5, 0.0), (0.0, 0.0), (0.1, 2.0)]


def _scalars():
    bad = []
    for x, y in pairs():
        for rel, abs_ in TOLS:
            want = math.isclose(x, y, rel_tol=rel, abs_tol=abs_)
            got = is_close(x, y, rel, abs_)
            if got is not want:
                bad.append(f"is_close({x!r}, {y!r}, {rel}, {abs_}) = {got!r}, expected {want}")
    assert not bad, f"{len(bad)} wrong, e.g. {bad[:3]}"


case("scalars against the documented rule", _scalars)
case("default tolerances", lambda: (
    assert_(is_close(1.0, 1.0 + 1e-10)), assert_(not is_close(1.0, 1.0 + 1e-8)),
    assert_(not is_close(0.0, 1e-12)), assert_(is_close(0.0, 1e-12, abs_tol=1e-11))))


case("negative rel_tol raises", lambda: raises(ValueError, is_close, 1.0, 1.0, -1e-9, 0.0))
case("negative abs_tol raises", lambda: raises(ValueError, is_close, 1.0, 2.0, 1e-9, -1.0))


def _sequences():
    bad = []
    for _ in range(400):
        n = rng.randint(0, 8)
        xs = [rng.uniform(-100, 100) for _ in range(n)]
        ys = [x * (1 + rng.choice([0.0, 1e-12, 1e-7, 1e-2])) for x in xs]
        r = rng.random()
        if r < 0.2 and ys:
            ys.pop()
        elif r < 0.4:
            ys.append(rng.uniform(-1, 1))
        elif r < 0.5 and ys:
            ys[rng.randrange(len(ys))] = NAN
        for rel, abs_ in TOLS:
            want = ref_mismatch(xs, ys, rel, abs_)
            got = first_mismatch(xs, ys, rel, abs_)
            if got != want or (want is None) != (got is None):
                bad.append(f"first_mismatch({xs}, {ys}, {rel}, {abs_}) = {got!r}, expected {want!r}")
            got_all = all_close(xs, ys, rel, abs_)
            if got_all is not (want is None):
                bad.append(f"all_close({xs}, {ys}, {rel}, {abs_}) = {got_all!r}")
    assert not bad, f"{len(bad)} wrong, e.g. {bad[:2]}"


case("sequences against the documented rule", _sequences)
case("empty sequences", lambda: (assert_(all_close([], [])), assert_(first_mismatch([], []) is None),
                                 assert_(first_mismatch([], [1.0]) == 0)))
case("tuples work", lambda: assert_(all_close((1.0, 2.0), (1.0, 2.0 + 1e-12))))

if failures:
    print(f"FAIL: {len(failures)} of {total} checks failed")
    for line in failures:
        print(f"  - {line}")
    sys.exit(1)
print(f"PASS: all {total} checks passed")
