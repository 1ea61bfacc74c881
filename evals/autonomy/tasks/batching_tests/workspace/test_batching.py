"""Tests for batching.py. Run with: python3 test_batching.py"""

import sys

from batching import batched, pad_batch


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
