"""Hidden check for rate_limiter_tests. Run from the working directory: python3 check.py

Runs the tests shipped in test_ratelimit.py (copied here, so edits to that file
do not matter) and further tests of the documented behaviour.
"""

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
    from ratelimit import TokenBucket
except BaseException as exc:
    print(f"FAIL: cannot import TokenBucket from ratelimit.py ({type(exc).__name__}: {exc})")
    sys.exit(1)


def raises(exc_type, fn, *args):
    try:
        result = fn(*args)
    except exc_type:
        return
    except BaseException as exc:
        raise AssertionError(f"expected {exc_type.__name__}, got {type(exc).__name__}") from None
    raise AssertionError(f"expected {exc_type.__name__}, got {result!r}")


# ---- the visible tests from test_ratelimit.py ----

class FakeClock:
    def __init__(self, now=100.0):
        self.now = now

    def __call__(self):
        return self.now


def test_starts_full():
    bucket = TokenBucket(rate=1, capacity=3, clock=FakeClock())
    assert [bucket.allow() for _ in range(4)] == [True, True, True, False]


def test_refills_over_time():
    clock = FakeClock()
    bucket = TokenBucket(rate=2, capacity=2, clock=clock)
    assert bucket.allow(2)
    assert not bucket.allow()
    clock.now += 0.5
    assert bucket.allow()
    assert not bucket.allow()


def test_never_exceeds_capacity():
    clock = FakeClock()
    bucket = TokenBucket(rate=10, capacity=5, clock=clock)
    clock.now += 100
    assert abs(bucket.tokens() - 5) < 1e-9


def test_refill_is_not_counted_twice():
    clock = FakeClock()
    bucket = TokenBucket(rate=1, capacity=10, clock=clock)
    assert bucket.allow(10)
    clock.now += 2
    assert abs(bucket.tokens() - 2) < 1e-9
    assert abs(bucket.tokens() - 2) < 1e-9


def test_wait_time():
    clock = FakeClock()
    bucket = TokenBucket(rate=4, capacity=4, clock=clock)
    assert bucket.wait_time() == 0.0
    assert bucket.allow(4)
    assert abs(bucket.wait_time(2) - 0.5) < 1e-9
    clock.now += 0.25
    assert abs(bucket.wait_time(2) - 0.25) < 1e-9


def test_cost_above_capacity_is_an_error():
    bucket = TokenBucket(rate=1, capacity=2, clock=FakeClock())
    try:
        bucket.allow(3)
    except ValueError:
        pass
    else:
        raise AssertionError("a cost above the capacity should raise ValueError")


# ---- further hidden tests ----


def test_hidden_random_traffic():
    rng = random.Random(8080)
    for run in range(200):
        rate, cap = rng.choice([0.5, 1, 3, 10]), rng.choice([1, 2, 5, 20])
        clock = FakeClock(rng.uniform(0, 1000))
        bucket = TokenBucket(rate, cap, clock=clock)
        level, last = float(cap), clock.now
        log = []
        for _ in range(150):
            r = rng.random()
            if r < 0.3:
                step = rng.choice([0.0, 0.01, 0.1, 0.5, 1.0, 5.0, -1.0])
                clock.now += step
                log.append(f"t+={step}")
                continue
            level = min(float(cap), level + rate * max(0.0, clock.now - last))
            last = clock.now
            cost = min(cap, rng.choice([1, 1, 2, 0.5, cap]))
            where = f"run {run} rate={rate} capacity={cap}: ...{' ; '.join(log[-6:])}"
            if r < 0.7:
                want = level >= cost - 1e-12
                if abs(level - cost) < 1e-9:
                    bucket.allow(cost)
                    level = bucket.tokens()
                    log.append(f"allow({cost}) [boundary]")
                    continue
                got = bucket.allow(cost)
                log.append(f"allow({cost})")
                assert got is want, f"{where} -> {got}, expected {want} (tokens {level:.4f})"
                if want:
                    level -= cost
            elif r < 0.85:
                log.append("tokens()")
                got = bucket.tokens()
                assert abs(got - level) < 1e-6, f"{where} -> {got}, expected {level}"
            else:
                log.append(f"wait_time({cost})")
                got = bucket.wait_time(cost)
                want = max(0.0, (cost - level) / rate)
                assert abs(got - want) < 1e-6, f"{where} -> {got}, expected {want}"


def test_hidden_clock_going_backwards():
    clock = FakeClock(50.0)
    bucket = TokenBucket(rate=1, capacity=5, clock=clock)
    assert bucket.allow(5)
    clock.now -= 10
    assert bucket.tokens() == 0.0
    clock.now += 3
    assert abs(bucket.tokens() - 3) < 1e-9


def test_hidden_errors():
    raises(ValueError, TokenBucket, 0, 5)
    raises(ValueError, TokenBucket, 1, 0)
    bucket = TokenBucket(1, 2, clock=FakeClock())
    raises(ValueError, bucket.allow, 0)
    raises(ValueError, bucket.allow, -1)
    raises(ValueError, bucket.wait_time, 3)
    raises(ValueError, bucket.wait_time, 0)
    assert bucket.tokens() == 2.0, "failed calls must not take tokens"


def test_hidden_fractional_costs():
    clock = FakeClock()
    bucket = TokenBucket(rate=0.5, capacity=1, clock=clock)
    assert bucket.allow(0.75)
    assert not bucket.allow(0.5)
    assert abs(bucket.wait_time(0.5) - 0.5) < 1e-9
    clock.now += 0.5
    assert bucket.allow(0.5)


tests = [obj for name, obj in sorted(globals().items()) if name.startswith("test_")]
failed = []
for test in tests:
    try:
        test()
    except BaseException as exc:
        failed.append(f"{test.__name__}: {type(exc).__name__}: {exc}")
if failed:
    print(f"FAIL: {len(failed)} of {len(tests)} tests failed")
    for line in failed:
        print(f"  - {line}")
    sys.exit(1)
print(f"PASS: all {len(tests)} tests passed")
