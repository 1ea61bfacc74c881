"""Hidden check for implement_auc_calibration. Run from the working directory: python3 check.py"""

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
    import numpy as np

    from calib import expected_calibration_error, log_loss, roc_auc
except BaseException as exc:
    print(f"FAIL: cannot import from calib.py ({type(exc).__name__}: {exc})")
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


def ref_auc(y, s):
    pos = [b for a, b in zip(y, s) if a == 1]
    neg = [b for a, b in zip(y, s) if a == 0]
    wins = sum((p > q) + 0.5 * (p == q) for p in pos for q in neg)
    return wins / (len(pos) * len(neg))


def ref_ece(y, p, n_bins):
    bins = {}
    for a, b in zip(y, p):
        bins.setdefault(min(int(b * n_bins), n_bins - 1), []).append((a, b))
    return sum(len(v) / len(y) * abs(sum(a for a, _ in v) / len(v) - sum(b for _, b in v) / len(v))
               for v in bins.values())


def ref_log_loss(y, p, eps):
    out = 0.0
    for a, b in zip(y, p):
        b = min(max(b, eps), 1 - eps)
        out -= a * math.log(b) + (1 - a) * math.log(1 - b)
    return out / len(y)


rng = random.Random(99)


def data(need_both=True):
    while True:
        n = rng.randint(1, 80)
        y = [rng.randint(0, 1) for _ in range(n)]
        if not need_both or 0 < sum(y) < n:
            break
    kind = rng.random()
    if kind < 0.3:
        p = [rng.choice([0.0, 0.1, 0.25, 0.5, 0.7, 1.0]) for _ in y]  # heavy ties, bin edges
    elif kind < 0.6:
        p = [min(1.0, max(0.0, 0.5 + (a - 0.5) * 0.4 + rng.gauss(0, 0.25))) for a in y]
    else:
        p = [rng.random() for _ in y]
    return y, p


def convert(y, p):
    r = rng.random()
    if r < 0.3:
        return np.array(y), np.array(p)
    if r < 0.4:
        return [bool(a) for a in y], p
    if r < 0.5:
        return [float(a) for a in y], np.array(p, dtype=np.float32).astype(np.float64).tolist()
    return y, p


def close(a, b):
    return isinstance(a, float) and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def _auc():
    for _ in range(400):
        y, p = data()
        y2, p2 = convert(y, p)
        scores = [x * 10 - 3 for x in p2] if rng.random() < 0.3 else p2
        want = ref_auc([int(a) for a in y2], [float(s) for s in scores])
        got = roc_auc(y2, scores)
        assert close(got, want), f"roc_auc({list(y2)[:8]}..., {list(scores)[:8]}...) = {got!r}, expected {want!r}"


def _ece():
    for _ in range(400):
        y, p = data(need_both=False)
        y2, p2 = convert(y, p)
        n_bins = rng.choice([1, 2, 4, 10, 15])
        want = ref_ece([int(a) for a in y2], [float(b) for b in p2], n_bins)
        got = expected_calibration_error(y2, p2, n_bins=n_bins)
        assert close(got, want), f"expected_calibration_error({list(y2)[:8]}..., {list(p2)[:8]}..., n_bins={n_bins}) = {got!r}, expected {want!r}"


def _log_loss():
    for _ in range(300):
        y, p = data(need_both=False)
        y2, p2 = convert(y, p)
        eps = rng.choice([1e-15, 1e-3, 0.1])
        want = ref_log_loss([int(a) for a in y2], [float(b) for b in p2], eps)
        got = log_loss(y2, p2, eps=eps)
        assert isinstance(got, float) and math.isclose(got, want, rel_tol=1e-7, abs_tol=1e-12), (
            f"log_loss(..., eps={eps}) = {got!r}, expected {want!r}")


def _known():
    assert close(roc_auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), 0.75)
    assert close(roc_auc([1, 0], [0.5, 0.5]), 0.5)
    assert close(expected_calibration_error([1, 0], [1.0, 0.0], n_bins=10), 0.0)
    assert close(expected_calibration_error([1, 1, 0, 0], [0.2, 0.2, 0.2, 0.2], n_bins=5), 0.3)
    assert close(log_loss([1, 0], [0.5, 0.5]), math.log(2))


def _large():
    r = np.random.default_rng(0)
    n = 300_000
    y = (r.random(n) < 0.3).astype(int)
    s = np.round(r.normal(size=n) + y, 2)  # many ties
    start = time.perf_counter()
    auc = roc_auc(y, s)
    ece = expected_calibration_error(y, 1 / (1 + np.exp(-s)), 10)
    loss = log_loss(y, 1 / (1 + np.exp(-s)))
    elapsed = time.perf_counter() - start
    assert 0.7 < auc < 0.8 and 0 <= ece <= 1 and loss > 0, f"implausible results {auc}, {ece}, {loss}"
    assert elapsed < 20, f"300,000 examples took {elapsed:.1f} s"


def _errors():
    raises(ValueError, roc_auc, [1, 1, 1], [0.1, 0.2, 0.3])
    raises(ValueError, roc_auc, [0, 0], [0.1, 0.2])
    raises(ValueError, roc_auc, [0, 1], [0.1])
    raises(ValueError, roc_auc, [], [])
    raises(ValueError, roc_auc, [0, 2], [0.1, 0.2])
    raises(ValueError, roc_auc, [0, 1], [0.1, float("nan")])
    raises(ValueError, expected_calibration_error, [0, 1], [0.1, 1.2])
    raises(ValueError, expected_calibration_error, [0, 1], [-0.1, 0.5])
    raises(ValueError, expected_calibration_error, [0, 1], [0.1, 0.5], n_bins=0)
    raises(ValueError, log_loss, [0, 1], [0.1, 1.5])
    raises(ValueError, log_loss, [], [])


case("roc_auc on random data with ties", _auc)
case("expected_calibration_error on random data", _ece)
case("log_loss on random data", _log_loss)
case("known values", _known)
case("invalid inputs raise ValueError", _errors)
case("300,000 examples", _large)

if failures:
    print(f"FAIL: {len(failures)} of {total} checks failed")
    for line in failures:
        print(f"  - {line}")
    sys.exit(1)
print(f"PASS: all {total} checks passed")
