"""Hidden check for fix_task_queue. Run from the working directory: python3 check.py"""

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
    from taskqueue import TaskQueue
except BaseException as exc:
    print(f"FAIL: cannot import TaskQueue from taskqueue.py ({type(exc).__name__}: {exc})")
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


class Model:
    def __init__(self):
        self.items = {}  # id -> (priority, seq, payload)
        self.seq = 0

    def push(self, tid, prio, payload):
        self.seq += 1
        self.items[tid] = (prio, self.seq, payload)

    def next(self):
        return min(self.items, key=lambda t: self.items[t][:2]) if self.items else None


def _where(run, log):
    return f"run {run}: ...{' ; '.join(log[-6:])}"


def _random_runs():
    rng = random.Random(99)
    for run in range(120):
        q, m = TaskQueue(), Model()
        log = []
        for _ in range(150):
            r = rng.random()
            tid = rng.choice(["a", "b", "c", "d", "e", 1, 2, 3, (4, 5)])
            if r < 0.35:
                prio = rng.randint(0, 3)
                payload = rng.choice([None, {"n": rng.randint(0, 9)}, [rng.random()], "p"])
                log.append(f"push({tid!r}, {prio}, {payload!r})")
                if tid in m.items:
                    raises(ValueError, q.push, tid, prio, payload)
                else:
                    q.push(tid, prio, payload)
                    m.push(tid, prio, payload)
            elif r < 0.55:
                log.append("pop()")
                want = m.next()
                if want is None:
                    raises(IndexError, q.pop)
                else:
                    got = q.pop()
                    exp = (want, m.items.pop(want)[2])
                    assert got == exp, f"{_where(run, log)} -> {got!r}, expected {exp!r}"
            elif r < 0.7:
                log.append(f"cancel({tid!r})")
                got = q.cancel(tid)
                assert got is (tid in m.items), f"{_where(run, log)} -> {got!r}"
                m.items.pop(tid, None)
            elif r < 0.8:
                prio = rng.randint(0, 3)
                log.append(f"reprioritize({tid!r}, {prio})")
                if tid in m.items:
                    q.reprioritize(tid, prio)
                    m.push(tid, prio, m.items[tid][2])
                else:
                    raises(KeyError, q.reprioritize, tid, prio)
            elif r < 0.9:
                log.append("peek()")
                got = q.peek()
                assert got == m.next(), f"{_where(run, log)} -> {got!r}, expected {m.next()!r}"
            else:
                log.append(f"len() and {tid!r} in queue")
                assert len(q) == len(m.items), f"{_where(run, log)} -> len {len(q)}, expected {len(m.items)}"
                assert (tid in q) is (tid in m.items), f"{_where(run, log)} -> {tid!r} in queue is {tid in q}"


def _fifo():
    q = TaskQueue()
    for i in range(10):
        q.push(f"t{i}", 1, {"i": i})
    q.push("urgent", 0)
    order = [q.pop()[0] for _ in range(11)]
    assert order == ["urgent"] + [f"t{i}" for i in range(10)], order


def _empty():
    q = TaskQueue()
    raises(IndexError, q.pop)
    assert q.peek() is None and len(q) == 0, "an empty queue must peek None and have length 0"


def _timed():
    rng = random.Random(3)
    n = 60000
    q = TaskQueue()
    start = time.perf_counter()
    for i in range(n):
        q.push(i, rng.randint(0, 1000), {"i": i})
    for i in range(0, n, 3):
        q.cancel(i)
    for i in range(1, n, 7):
        if i in q:
            q.reprioritize(i, rng.randint(0, 1000))
    count = 0
    while len(q):
        q.peek()
        tid, payload = q.pop()
        assert payload == {"i": tid}, "payload mix-up"
        count += 1
    elapsed = time.perf_counter() - start
    assert count == n - len(range(0, n, 3)), f"popped {count} tasks"
    assert elapsed < 20, f"{n} tasks took {elapsed:.1f} s"


case("random operations against the documented behaviour", _random_runs)
case("FIFO among equal priorities", _fifo)
case("empty queue", _empty)
case("timed run with many tasks", _timed)

if failures:
    print(f"FAIL: {len(failures)} of {total} checks failed")
    for line in failures:
        print(f"  - {line}")
    sys.exit(1)
print(f"PASS: all {total} checks passed")
