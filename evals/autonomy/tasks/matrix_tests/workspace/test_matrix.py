"""Tests for matrix.py. Run with: python3 test_matrix.py"""

import sys

from matrix import Matrix


def test_shape_and_indexing():
    m = Matrix([[1, 2, 3], [4, 5, 6]])
    assert m.shape == (2, 3)
    assert m[1, 2] == 6


def test_transpose_square():
    m = Matrix([[1, 2], [3, 4]])
    assert m.transpose() == Matrix([[1, 3], [2, 4]])


def test_transpose_rectangular():
    m = Matrix([[1, 2, 3], [4, 5, 6]])
    assert m.transpose() == Matrix([[1, 4], [2, 5], [3, 6]])


def test_add():
    assert Matrix([[1, 2]]) + Matrix([[10, 20]]) == Matrix([[11, 22]])


def test_matmul_rectangular():
    a = Matrix([[1, 2, 3], [4, 5, 6]])
    b = Matrix([[1, 0], [0, 1], [1, 1]])
    assert a @ b == Matrix([[4, 5], [10, 11]])


def test_identity():
    i3 = Matrix.identity(3)
    assert i3.shape == (3, 3)
    m = Matrix([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    assert m @ i3 == m


def test_trace():
    assert Matrix([[1, 2], [3, 4]]).trace() == 5


def test_ragged_rows_rejected():
    try:
        Matrix([[1, 2], [3]])
    except ValueError:
        pass
    else:
        raise AssertionError("ragged rows should raise ValueError")


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
