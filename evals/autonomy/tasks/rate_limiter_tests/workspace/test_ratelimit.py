"""Tests for ratelimit.py. Run with: python3 test_ratelimit.py"""

import sys

from ratelimit import TokenBucket


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


if __name__ == "__main__":
    tests = [obj for name, obj in sorted(globals().items()) if name.startswith("test_")]
    failed = 0
    for test in tests:
        try:
            test()
        except Exception as exc:
            failed += 1
            print(f"FAIL {test.__name__}: {type(exc).__name__}: {exc}")
        else:
            print(f"ok   {test.__name__}")
    print(f"{len(tests) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
