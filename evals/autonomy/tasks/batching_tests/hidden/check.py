"""Hidden check for batching_tests. Run from the working directory: python3 check.py

Runs the tests shipped in test_batching.py (copied here, so edits to that file
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
    from batching import batched, pad_batch
except BaseException as exc:
    print(f"FAIL: cannot import from batching.py ({type(exc).__name__}: {exc})")
    sys.exit(1)


def raises(exc_type, fn, *args, **kwargs):
    try:
        result = fn(*args, **kwargs)
    except exc_type:
        return
    except BaseException as exc:
        raise AssertionError(f"expected {exc_type.__name__}, got {type(exc).__name__}") from None
    raise AssertionError(f"expected {exc_type.__name__}, got {result!r}")


# ---- the visible tests from test_batching.py ----

def test_batched_even():
    assert batched([1, 2, 3, 4], 2) == [[1, 2], [3, 4]]


def test_batched_keeps_last_partial_batch():
    assert batched([1, 2, 3, 4, 5], 2) == [[1, 2], [3, 4], [5]]


def test_batched_drop_last():
    assert batched([1, 2, 3, 4, 5], 2, drop_last=True) == [[1, 2], [3, 4]]


def test_batched_generator():
    assert batched((x * x for x in range(4)), 3) == [[0, 1, 4], [9]]


def test_pad_right():
    padded, lengths = pad_batch([[1, 2, 3], [4]])
    assert padded == [[1, 2, 3], [4, 0, 0]]
    assert lengths == [3, 1]


def test_pad_left():
    padded, _ = pad_batch([[1, 2, 3], [4]], pad_value=-1, side="left")
    assert padded == [[1, 2, 3], [-1, -1, 4]]


def test_pad_max_len_keeps_the_start():
    padded, lengths = pad_batch([[1, 2, 3, 4], [5]], max_len=2)
    assert padded == [[1, 2], [5, 0]]
    assert lengths == [2, 1]


# ---- further hidden tests ----

rng = random.Random(64)


def test_hidden_batched_random():
    for _ in range(300):
        items = [rng.randint(0, 99) for _ in range(rng.randint(0, 30))]
        size = rng.randint(1, 8)
        drop = rng.random() < 0.5
        want = [items[i:i + size] for i in range(0, len(items), size)]
        if drop and want and len(want[-1]) < size:
            want.pop()
        source = iter(items) if rng.random() < 0.5 else tuple(items)
        got = batched(source, size, drop_last=drop)
        assert got == want, f"batched({items}, {size}, drop_last={drop}) = {got}, expected {want}"
        assert all(type(b) is list for b in got), "batches must be lists"


def test_hidden_batched_errors_and_empty():
    raises(ValueError, batched, [1, 2], 0)
    raises(ValueError, batched, [], -1)
    assert batched([], 3) == [] and batched(iter([]), 1, drop_last=True) == []
    assert batched(range(3), 5, drop_last=True) == []
    assert batched("abc", 2) == [["a", "b"], ["c"]]


def test_hidden_pad_random():
    for _ in range(300):
        seqs = [[rng.randint(1, 9) for _ in range(rng.randint(0, 7))] for _ in range(rng.randint(0, 5))]
        originals = [list(s) for s in seqs]
        max_len = rng.choice([None, 1, 2, 4, 10])
        side = rng.choice(["left", "right"])
        cut = [s if max_len is None else s[:max_len] for s in seqs]
        target = max((len(s) for s in cut), default=0)
        want = [(s + [-7] * (target - len(s))) if side == "right" else ([-7] * (target - len(s)) + s) for s in cut]
        padded, lengths = pad_batch(seqs, pad_value=-7, max_len=max_len, side=side)
        where = f"pad_batch({seqs}, pad_value=-7, max_len={max_len}, side={side!r})"
        assert padded == want, f"{where} padded {padded}, expected {want}"
        assert lengths == [len(s) for s in cut], f"{where} lengths {lengths}"
        assert seqs == originals, f"{where} modified its input"
        assert all(p is not s for p, s in zip(padded, seqs)), f"{where} returned an input list"


def test_hidden_pad_errors():
    raises(ValueError, pad_batch, [[1]], side="middle")
    raises(ValueError, pad_batch, [[1]], max_len=0)
    assert pad_batch([]) == ([], [])
    assert pad_batch([(1, 2), (3,)]) == ([[1, 2], [3, 0]], [2, 1])


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
