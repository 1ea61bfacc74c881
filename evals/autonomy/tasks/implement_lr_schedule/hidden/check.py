"""Hidden check for implement_lr_schedule. Run from the working directory: python3 check.py"""

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
    from schedule import lr_at
except BaseException as exc:
    print(f"FAIL: cannot import lr_at from schedule.py ({type(exc).__name__}: {exc})")
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


def ref(step, base, warm, tot, lo):
    if step < warm:
        return base * (step + 1) / warm
    if step >= tot:
        return lo
    p = (step - warm) / (tot - warm)
    return lo + 0.5 * (base - lo) * (1 + math.cos(math.pi * p))


def compare(step, base, warm, tot, lo):
    got = lr_at(step, base, warm, tot, lo)
    want = ref(step, base, warm, tot, lo)
    assert isinstance(got, float), f"lr_at{(step, base, warm, tot, lo)} returned {type(got).__name__}"
    assert abs(got - want) <= 1e-12 + 1e-9 * abs(want), f"lr_at{(step, base, warm, tot, lo)} = {got!r}, expected {want!r}"


def _grid():
    rng = random.Random(6)
    settings = [(0.1, 10, 100, 0.0), (3e-4, 0, 50, 1e-5), (1.0, 20, 20, 0.1), (0.5, 1, 2, 0.0),
                (2.0, 0, 1, 0.0), (1e-3, 7, 1000, 1e-4), (0.0, 3, 10, 0.0), (0.2, 5, 9, 0.2)]
    for _ in range(40):
        tot = rng.randint(1, 500)
        base = rng.uniform(0, 2)
        settings.append((base, rng.randint(0, tot), tot, base * rng.choice([0.0, 0.1, rng.random()])))
    for base, warm, tot, lo in settings:
        steps = set(range(0, min(tot + 3, 40))) | {warm - 1, warm, warm + 1, tot - 1, tot, tot + 1,
                                                    tot * 3, (warm + tot) // 2}
        for step in sorted(s for s in steps if s >= 0):
            compare(step, base, warm, tot, lo)


def _defaults():
    got = lr_at(10, 0.1, 10, 20)
    assert abs(got - 0.1) < 1e-12, f"lr_at(10, 0.1, 10, 20) = {got!r}"
    got = lr_at(25, 0.1, 10, 20)
    assert got == 0.0, f"after the schedule the default min_lr is 0.0, got {got!r}"


def _shape():
    rates = [lr_at(s, 1.0, 10, 110, 0.05) for s in range(120)]
    assert all(a < b for a, b in zip(rates[:9], rates[1:10])), "warmup must increase"
    assert all(a >= b for a, b in zip(rates[10:110], rates[11:111])), "decay must not increase"
    assert abs(rates[60] - (0.05 + 0.95 / 2)) < 1e-12, f"half way rate {rates[60]!r}"


BAD = [(-1, 0.1, 10, 100, 0.0), (0, 0.1, -1, 100, 0.0), (0, 0.1, 0, 0, 0.0), (0, 0.1, 11, 10, 0.0),
       (0, -0.1, 1, 10, 0.0), (0, 0.1, 1, 10, -0.01), (0, 0.1, 1, 10, 0.2)]

case("formula on many settings and steps", _grid)
case("default min_lr", _defaults)
case("shape of the schedule", _shape)
for args in BAD:
    case(f"lr_at{args} raises", lambda a=args: raises(ValueError, lr_at, *a))

if failures:
    print(f"FAIL: {len(failures)} of {total} checks failed")
    for line in failures:
        print(f"  - {line}")
    sys.exit(1)
print(f"PASS: all {total} checks passed")
