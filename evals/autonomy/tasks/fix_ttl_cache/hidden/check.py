"""Hidden check for fix_ttl_cache. Run from the working directory: python3 check.py"""

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
    from ttl_cache import TTLCache
except BaseException as exc:
    print(f"FAIL: cannot import TTLCache from ttl_cache.py ({type(exc).__name__}: {exc})")
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


class Clock:
    def __init__(self):
        self.now = 1000

    def __call__(self):
        return self.now


class Model:
    def __init__(self, ttl, maxsize, clock):
        self.ttl, self.maxsize, self.clock = ttl, maxsize, clock
        self.entries = {}  # key -> (time, seq, value)
        self.seq = 0

    def live(self):
        now = self.clock()
        return {k: e for k, e in self.entries.items() if now - e[0] < self.ttl}

    def get(self, key, default=None):
        e = self.live().get(key)
        return default if e is None else e[2]

    def put(self, key, value):
        live = self.live()
        self.entries = dict(live)
        if key not in live and len(live) >= self.maxsize:
            oldest = min(live, key=lambda k: (live[k][0], live[k][1]))
            del self.entries[oldest]
        self.seq += 1
        self.entries[key] = (self.clock(), self.seq, value)


MISSING = object()


def _random_runs():
    rng = random.Random(5)
    for run in range(150):
        clock = Clock()
        ttl, maxsize = rng.choice([1, 2, 3, 5, 10]), rng.randint(1, 6)
        cache, model = TTLCache(ttl, maxsize, clock=clock), Model(ttl, maxsize, clock)
        log = []
        for _ in range(120):
            r = rng.random()
            key = rng.randint(0, 8)
            if r < 0.35:
                value = rng.randint(0, 999)
                log.append(f"t={clock.now} put({key}, {value})")
                cache.put(key, value)
                model.put(key, value)
            elif r < 0.65:
                log.append(f"t={clock.now} get({key})")
                got, want = cache.get(key, MISSING), model.get(key, MISSING)
                assert got is want or got == want, (
                    f"run {run} ttl={ttl} maxsize={maxsize}: {' ; '.join(log[-8:])} -> "
                    f"{'missing' if got is MISSING else repr(got)}, "
                    f"expected {'missing' if want is MISSING else want}")
            elif r < 0.75:
                log.append(f"t={clock.now} {key} in cache")
                want = key in model.live()
                assert (key in cache) is want, (
                    f"run {run} ttl={ttl} maxsize={maxsize}: {' ; '.join(log[-8:])} -> {not want}")
            elif r < 0.85:
                log.append(f"t={clock.now} len()")
                assert len(cache) == len(model.live()), (
                    f"run {run} ttl={ttl} maxsize={maxsize}: {' ; '.join(log[-8:])} -> "
                    f"{len(cache)}, expected {len(model.live())}")
            else:
                clock.now += rng.choice([0, 1, 1, 2, ttl, ttl - 1, 3])


def _purge():
    clock = Clock()
    cache = TTLCache(5, 10, clock=clock)
    for key in range(3):
        cache.put(key, key)
    clock.now += 3
    cache.put(3, 3)
    cache.put(4, 4)
    clock.now += 2
    n = cache.purge()
    assert n == 3, f"purge of 3 entries at age 5 and 2 at age 2 (ttl 5) returned {n}, expected 3"
    assert len(cache) == 2 and 2 not in cache and 3 in cache, "wrong entries after purge"
    clock.now += 100
    assert cache.purge() == 2 and len(cache) == 0, "everything should expire"


def _boundary():
    clock = Clock()
    cache = TTLCache(10, 3, clock=clock)
    cache.put("a", 1)
    clock.now += 9
    assert cache.get("a") == 1, "entry should be live 9 s into a 10 s ttl"
    clock.now += 1
    assert cache.get("a") is None and "a" not in cache and len(cache) == 0, "entry should expire at exactly ttl"


def _refresh():
    clock = Clock()
    cache = TTLCache(10, 2, clock=clock)
    cache.put("a", 1)
    clock.now += 6
    cache.put("a", 2)
    clock.now += 6
    assert cache.get("a") == 2, "put on a live key must restart its lifetime"
    cache.put("b", 3)
    clock.now += 1
    cache.put("c", 4)
    assert "a" not in cache and cache.get("b") == 3 and cache.get("c") == 4, "oldest entry must be evicted"


def _expired_do_not_count():
    clock = Clock()
    cache = TTLCache(5, 2, clock=clock)
    cache.put("old", 0)
    clock.now += 3
    cache.put("young", 1)
    clock.now += 3  # "old" has expired
    cache.put("new", 2)
    assert cache.get("young") == 1 and cache.get("new") == 2, "a live entry was evicted while an expired one was counted"


case("random operations against the documented behaviour", _random_runs)
case("expiry boundary", _boundary)
case("put refreshes and eviction order", _refresh)
case("expired entries do not count towards maxsize", _expired_do_not_count)
case("purge", _purge)
case("ttl 0 raises", lambda: raises(ValueError, TTLCache, 0, 5))
case("maxsize 0 raises", lambda: raises(ValueError, TTLCache, 5, 0))

if failures:
    print(f"FAIL: {len(failures)} of {total} checks failed")
    for line in failures:
        print(f"  - {line}")
    sys.exit(1)
print(f"PASS: all {total} checks passed")
