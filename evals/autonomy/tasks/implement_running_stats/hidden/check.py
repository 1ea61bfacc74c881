"""Hidden check for implement_running_stats. Run from the working directory: python3 check.py"""

import math
import os
import random
import signal
import sys
from fractions import Fraction

sys.path.insert(0, ".")


def _timeout(*_):
    print("FAIL: check timed out")
    os._exit(1)


if hasattr(signal, "SIGALRM"):
    signal.signal(signal.SIGALRM, _timeout)
    signal.alarm(60)

try:
    from running import RunningStats
except BaseException as exc:
    print(f"FAIL: cannot import RunningStats from running.py ({type(exc).__name__}: {exc})")
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


def exact(xs):
    fx = [Fraction(x) for x in xs]
    mean = sum(fx) / len(fx)
    ss = sum((x - mean) ** 2 for x in fx)
    return float(mean), ss


def close(a, b, rel):
    return abs(a - b) <= rel * max(abs(b), 1e-300)


def verify(stats, xs, where):
    assert stats.count == len(xs), f"{where}: count {stats.count}, expected {len(xs)}"
    mean, ss = exact(xs)
    assert close(stats.mean(), mean, 1e-9), f"{where}: mean {stats.mean()!r}, expected {mean!r}"
    for ddof in (0, 1):
        if len(xs) - ddof > 0:
            want = float(ss / (len(xs) - ddof))
            got = stats.variance(ddof)
            assert abs(got - want) <= 1e-4 * want, (
                f"{where}: variance(ddof={ddof}) {got!r}, expected {want!r}")
            assert abs(stats.std(ddof) - math.sqrt(want)) <= 1e-4 * math.sqrt(want), (
                f"{where}: std(ddof={ddof}) {stats.std(ddof)!r}")
    assert stats.min() == min(xs) and stats.max() == max(xs), f"{where}: min/max wrong"


rng = random.Random(1234)


def stream():
    offset = rng.choice([0.0, 1e3, -1e6, 1e9, 3.7e8])
    spread = rng.choice([1e-2, 1.0, 100.0])
    return [offset + rng.gauss(0, spread) for _ in range(rng.randint(1, 300))]


def _streams():
    for i in range(120):
        xs = stream()
        s = RunningStats()
        if i % 2:
            s.extend(iter(xs))
        else:
            for x in xs:
                s.push(x)
        verify(s, xs, f"stream {i} (offset ~{xs[0]:.3g})")


def _merges():
    for i in range(120):
        xs = stream()
        cut = rng.randint(0, len(xs))
        a, b = RunningStats(), RunningStats()
        a.extend(xs[:cut])
        b.extend(xs[cut:])
        before = (a.count, b.count)
        m = a.merge(b)
        assert (a.count, b.count) == before, "merge changed its operands"
        verify(m, xs, f"merge {i} split at {cut}/{len(xs)}")
        if cut:
            verify(a, xs[:cut], f"left operand of merge {i}")
    empty = RunningStats().merge(RunningStats())
    assert empty.count == 0, "merging two empty stats"
    raises(ValueError, empty.mean)


def _empty():
    s = RunningStats()
    assert s.count == 0
    for fn in (s.mean, s.variance, s.min, s.max, s.std):
        raises(ValueError, fn)
    s.push(5)
    assert s.mean() == 5.0 and s.variance() == 0.0
    raises(ValueError, s.variance, 1)


case("random streams", _streams)
case("merges", _merges)
case("empty and single-value stats", _empty)

if failures:
    print(f"FAIL: {len(failures)} of {total} checks failed")
    for line in failures:
        print(f"  - {line}")
    sys.exit(1)
print(f"PASS: all {total} checks passed")
