"""Hidden check for matrix_tests. Run from the working directory: python3 check.py

Runs the tests shipped in test_matrix.py (copied here, so edits to that file
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
    from matrix import Matrix
except BaseException as exc:
    print(f"FAIL: cannot import Matrix from matrix.py ({type(exc).__name__}: {exc})")
    sys.exit(1)


def raises(exc_type, fn, *args):
    try:
        result = fn(*args)
    except exc_type:
        return
    except BaseException as exc:
        raise AssertionError(f"expected {exc_type.__name__}, got {type(exc).__name__}") from None
    raise AssertionError(f"expected {exc_type.__name__}, got {result!r}")


# ---- the visible tests from test_matrix.py ----

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


# ---- further hidden tests ----

rng = random.Random(31)


def rand(n, m):
    return [[rng.randint(-9, 9) for _ in range(m)] for _ in range(n)]


def test_hidden_random_products():
    for _ in range(200):
        n, m, p = rng.randint(1, 5), rng.randint(1, 5), rng.randint(1, 5)
        a, b = rand(n, m), rand(m, p)
        want = [[sum(a[i][k] * b[k][j] for k in range(m)) for j in range(p)] for i in range(n)]
        got = Matrix(a) @ Matrix(b)
        assert got == Matrix(want) and got.shape == (n, p), f"{a} @ {b} = {got!r}"
        if m != p:  # b is m x p, so b @ b needs p == m
            raises(ValueError, lambda: Matrix(b) @ Matrix(b))


def test_hidden_random_transposes():
    for _ in range(200):
        n, m = rng.randint(1, 6), rng.randint(1, 6)
        a = rand(n, m)
        t = Matrix(a).transpose()
        assert t.shape == (m, n) and all(t[j, i] == a[i][j] for i in range(n) for j in range(m)), f"transpose of {a}"
        assert t.transpose() == Matrix(a)


def test_hidden_identity_sizes():
    for n in range(1, 7):
        eye = Matrix.identity(n)
        assert eye.shape == (n, n) and eye.trace() == n
        assert all(eye[i, j] == (1 if i == j else 0) for i in range(n) for j in range(n))
    raises(ValueError, Matrix.identity, 0)


def test_hidden_errors():
    raises(ValueError, Matrix, [])
    raises(ValueError, Matrix, [[]])
    raises(ValueError, Matrix, [[1], [2, 3]])
    raises(ValueError, lambda: Matrix([[1, 2]]) + Matrix([[1], [2]]))
    raises(ValueError, lambda: Matrix([[1, 2, 3]]) @ Matrix([[1, 2, 3]]))
    raises(ValueError, Matrix([[1, 2, 3], [4, 5, 6]]).trace)


def test_hidden_rows_are_copied():
    rows = [[1, 2], [3, 4]]
    m = Matrix(rows)
    rows[0][0] = 99
    assert m[0, 0] == 1
    out = m.rows()
    out[1][1] = 0
    assert m[1, 1] == 4


def test_hidden_vector_products():
    row, col = Matrix([[1, 2, 3]]), Matrix([[4], [5], [6]])
    assert row @ col == Matrix([[32]])
    assert (col @ row).shape == (3, 3) and (col @ row)[2, 0] == 6


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
