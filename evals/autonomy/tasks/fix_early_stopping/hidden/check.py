"""Hidden check for fix_early_stopping. Run from the working directory: python3 check.py"""

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
    from early import EarlyStopping
except BaseException as exc:
    print(f"FAIL: cannot import EarlyStopping from early.py ({type(exc).__name__}: {exc})")
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


def raises(exc_type, fn, *args, **kwargs):
    try:
        result = fn(*args, **kwargs)
    except exc_type:
        return
    except BaseException as exc:
        raise AssertionError(f"expected {exc_type.__name__}, got {type(exc).__name__}") from None
    raise AssertionError(f"expected {exc_type.__name__}, got {result!r}")


def reference(metrics, patience, min_delta, mode):
    best = best_step = None
    bad = 0
    out = []
    for i, m in enumerate(metrics):
        if math.isnan(m):
            better = False
        elif best is None:
            better = True
        elif mode == "min":
            better = m < best - min_delta
        else:
            better = m > best + min_delta
        if better:
            best, best_step, bad = m, i, 0
        else:
            bad += 1
        out.append((bad >= patience, best, best_step, bad))
    return out


def run(metrics, patience, min_delta, mode):
    es = EarlyStopping(patience=patience, min_delta=min_delta, mode=mode)
    want = reference(metrics, patience, min_delta, mode)
    for i, m in enumerate(metrics):
        stop = es.step(m)
        got = (stop, es.best, es.best_step, es.num_bad)
        w = want[i]
        same = got[0] is w[0] and got[2] == w[2] and got[3] == w[3] and (
            got[1] == w[1] or (got[1] is not None and w[1] is not None and math.isnan(got[1])
                               and math.isnan(w[1])))
        assert same, (f"mode={mode} patience={patience} min_delta={min_delta} metrics={metrics[:i + 1]}: "
                      f"(stop, best, best_step, num_bad) = {got}, expected {w}")


rng = random.Random(11)


def _random(mode):
    for _ in range(400):
        n = rng.randint(1, 25)
        start = rng.uniform(-5, 5)
        step = rng.choice([0.0, 0.01, 0.1])
        metrics = []
        for i in range(n):
            trend = -step * i if mode == "min" else step * i
            metrics.append(round(start + trend + rng.gauss(0, 0.2), 2))
        if rng.random() < 0.2:
            metrics[rng.randrange(n)] = math.nan
        run(metrics, rng.randint(1, 6), rng.choice([0.0, 0.0, 0.05, 0.3]), mode)


case("random sequences, mode min", lambda: _random("min"))
case("random sequences, mode max", lambda: _random("max"))
case("positive losses improve", lambda: run([3.0, 2.0, 1.0, 1.5, 1.4, 1.2], 2, 0.0, "min"))
case("accuracy rising", lambda: run([0.5, 0.6, 0.59, 0.61, 0.6, 0.6, 0.6], 3, 0.005, "max"))
case("first metric is NaN", lambda: run([math.nan, 1.0, 2.0], 2, 0.0, "min"))
case("equal metric is not an improvement", lambda: run([1.0, 1.0, 1.0], 2, 0.0, "max"))
case("patience 1", lambda: run([1.0, 0.5, 0.7, 0.2, 0.2], 1, 0.0, "min"))


def _defaults():
    es = EarlyStopping()
    decisions = [es.step(m) for m in [5.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0]]
    assert decisions == [False] * 6 + [True], decisions


case("defaults are patience 5, min_delta 0, min", _defaults)
case("patience 0 raises", lambda: raises(ValueError, EarlyStopping, patience=0))
case("negative min_delta raises", lambda: raises(ValueError, EarlyStopping, min_delta=-0.1))
case("bad mode raises", lambda: raises(ValueError, EarlyStopping, mode="maximize"))

if failures:
    print(f"FAIL: {len(failures)} of {total} checks failed")
    for line in failures:
        print(f"  - {line}")
    sys.exit(1)
print(f"PASS: all {total} checks passed")
