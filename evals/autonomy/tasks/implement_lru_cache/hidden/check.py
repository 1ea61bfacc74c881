"""Hidden check for implement_lru_cache. Run from the working directory: python check.py"""

import os
import random
import signal
import sys
import time
from collections import OrderedDict

sys.path.insert(0, ".")


def _timeout(*_):
    print("FAIL: check timed out")
    os._exit(1)


if hasattr(signal, "SIGALRM"):
    signal.signal(signal.SIGALRM, _timeout)
    signal.alarm(60)

try:
    from lru import LRUCache
except BaseException as exc:
    print(f"FAIL: cannot import LRUCache from lru.py ({type(exc).__name__}: {exc})")
    sys.exit(1)

failures = []
total = 0
MISSING = object()


def case(name, fn):
    global total
    total += 1
    try:
        fn()
    except AssertionError as exc:
        failures.append(f"{name}: {exc}")
    except BaseException as exc:
        failures.append(f"{name}: unexpected {type(exc).__name__}: {exc}")


def eq(actual, expected):
    assert actual == expected, f"expected {expected!r}, got {actual!r}"


def raises(exc_type, fn, *args, **kwargs):
    try:
        result = fn(*args, **kwargs)
    except exc_type:
        return
    except BaseException as exc:
        raise AssertionError(
            f"expected {exc_type.__name__}, got {type(exc).__name__}: {exc}"
        ) from None
    raise AssertionError(f"expected {exc_type.__name__}, got {result!r}")


def _basic():
    c = LRUCache(2)
    c.put("a", 1)
    c.put("b", 2)
    eq(c.get("a"), 1)
    eq(c.get("b"), 2)
    eq(len(c), 2)


def _missing_defaults():
    c = LRUCache(2)
    eq(c.get("nope"), None)
    eq(c.get("nope", 42), 42)
    eq(len(c), 0)
    assert "nope" not in c


def _evicts_lru():
    c = LRUCache(2)
    c.put("a", 1)
    c.put("b", 2)
    c.put("c", 3)
    assert "a" not in c, "a should have been evicted"
    assert "b" in c and "c" in c
    eq(c.get("a", MISSING), MISSING)
    eq(len(c), 2)


def _get_refreshes():
    c = LRUCache(2)
    c.put("a", 1)
    c.put("b", 2)
    c.get("a")
    c.put("c", 3)
    assert "a" in c, "a was read last and must survive"
    assert "b" not in c, "b should have been evicted"


def _put_update_refreshes_without_evicting():
    c = LRUCache(2)
    c.put("a", 1)
    c.put("b", 2)
    c.put("a", 10)
    eq(len(c), 2)
    assert "b" in c, "updating a key must not evict"
    eq(c.get("a"), 10)
    c.put("c", 3)
    assert "b" not in c, "b should be evicted after a was updated"
    assert "a" in c and "c" in c


def _contains_does_not_refresh():
    c = LRUCache(2)
    c.put("a", 1)
    c.put("b", 2)
    assert "a" in c
    c.put("c", 3)
    assert "a" not in c, "`in` must not change recency"


def _missing_get_does_not_refresh():
    c = LRUCache(2)
    c.put("a", 1)
    c.put("b", 2)
    c.get("zzz")
    c.put("c", 3)
    assert "a" not in c and "b" in c


def _capacity_one():
    c = LRUCache(1)
    c.put("a", 1)
    c.put("b", 2)
    assert "a" not in c and c.get("b") == 2
    c.put("b", 3)
    eq(c.get("b"), 3)
    eq(len(c), 1)


def _none_values():
    c = LRUCache(2)
    c.put("k", None)
    assert "k" in c
    eq(c.get("k", MISSING), None)
    eq(len(c), 1)


def _falsy_and_mixed_keys():
    c = LRUCache(3)
    c.put(0, "zero")
    c.put("", "empty")
    c.put((1, 2), "tuple")
    eq(c.get(0), "zero")
    eq(c.get(""), "empty")
    eq(c.get((1, 2)), "tuple")
    eq(len(c), 3)


def _bad_capacity():
    raises(ValueError, LRUCache, 0)
    raises(ValueError, LRUCache, -3)


def _instances_independent():
    a = LRUCache(2)
    b = LRUCache(2)
    a.put("x", 1)
    assert "x" not in b
    eq(len(b), 0)


def _randomized_against_model():
    rng = random.Random(1234)
    for capacity in (1, 2, 3, 5, 8):
        cache = LRUCache(capacity)
        model = OrderedDict()
        for step in range(3000):
            key = rng.randrange(12)
            op = rng.random()
            if op < 0.45:
                value = rng.randrange(1000)
                cache.put(key, value)
                if key in model:
                    model.move_to_end(key)
                elif len(model) >= capacity:
                    model.popitem(last=False)
                model[key] = value
            elif op < 0.85:
                got = cache.get(key, MISSING)
                if key in model:
                    model.move_to_end(key)
                    want = model[key]
                else:
                    want = MISSING
                assert got is want or got == want, (
                    f"capacity {capacity} step {step}: get({key}) gave {got!r}, expected {want!r}"
                )
            else:
                assert (key in cache) == (key in model), (
                    f"capacity {capacity} step {step}: `{key} in cache` is wrong"
                )
            assert len(cache) == len(model), f"capacity {capacity} step {step}: len is wrong"


def _large_is_fast():
    # An O(1)-per-operation cache does this in well under a second; one that
    # scans a list of keys on every access takes tens of seconds.
    c = LRUCache(50_000)
    start = time.perf_counter()
    for i in range(200_000):
        c.put(i, i)
        c.get(i - 1000)
        if i % 1000 == 0 and time.perf_counter() - start > 5.0:
            raise AssertionError(f"too slow: only {i} of 200k operations done in 5s")
    elapsed = time.perf_counter() - start
    eq(len(c), 50_000)
    assert 149_999 not in c, "149999 should have been evicted"
    eq(c.get(150_000), 150_000)
    assert elapsed < 5.0, f"200k operations took {elapsed:.1f}s (limit 5s)"


for name, fn in [
    ("basic put/get", _basic),
    ("missing key returns default", _missing_defaults),
    ("evicts least recently used", _evicts_lru),
    ("get refreshes recency", _get_refreshes),
    ("put on existing key refreshes without evicting", _put_update_refreshes_without_evicting),
    ("`in` does not refresh recency", _contains_does_not_refresh),
    ("get of a missing key does not refresh", _missing_get_does_not_refresh),
    ("capacity 1", _capacity_one),
    ("None values are stored", _none_values),
    ("falsy and tuple keys", _falsy_and_mixed_keys),
    ("capacity < 1 raises ValueError", _bad_capacity),
    ("instances are independent", _instances_independent),
    ("randomized comparison with a reference model", _randomized_against_model),
    ("200k operations on a large cache", _large_is_fast),
]:
    case(name, fn)

if failures:
    print(f"FAIL: {len(failures)} of {total} checks failed")
    for line in failures:
        print(f"  - {line}")
    sys.exit(1)
print(f"PASS: all {total} checks passed")
