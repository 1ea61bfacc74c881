"""Hidden check for implement_grad_clipping. Run from the working directory: python3 check.py"""

import math
import os
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
    import numpy as np

    from clipping import clip_by_global_norm, global_norm
except BaseException as exc:
    print(f"FAIL: cannot import from clipping.py ({type(exc).__name__}: {exc})")
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


rng = np.random.default_rng(17)


def random_grads():
    grads = []
    for _ in range(rng.integers(0, 6)):
        shape = tuple(int(s) for s in rng.integers(0, 5, size=rng.integers(0, 4)))
        dtype = rng.choice([np.float64, np.float32, np.float16])
        grads.append((rng.normal(size=shape) * 10 ** rng.uniform(-3, 3)).astype(dtype))
    return grads


def ref_norm(grads):
    return math.sqrt(math.fsum(float(x) ** 2 for g in grads for x in np.asarray(g, np.float64).ravel()))


def _random():
    for _ in range(400):
        grads = random_grads()
        copies = [g.copy() for g in grads]
        want_norm = ref_norm(grads)
        got = global_norm(grads)
        assert isinstance(got, float), f"global_norm returned {type(got).__name__}"
        assert math.isclose(got, want_norm, rel_tol=1e-9, abs_tol=1e-12), f"global_norm = {got!r}, expected {want_norm!r}"
        max_norm = float(10 ** rng.uniform(-2, 3))
        eps = rng.choice([1e-6, 0.0, 0.5])
        clipped, norm = clip_by_global_norm(grads, max_norm, eps)
        assert isinstance(norm, float) and math.isclose(norm, want_norm, rel_tol=1e-9, abs_tol=1e-12), f"norm {norm!r}"
        scale = max_norm / (want_norm + eps) if want_norm > max_norm else 1.0
        assert isinstance(clipped, list) and len(clipped) == len(grads), "clipped must be a list of the same length"
        for g, c, orig in zip(grads, clipped, copies):
            assert isinstance(c, np.ndarray) and c.shape == g.shape, f"shape {getattr(c, 'shape', None)} != {g.shape}"
            assert c.dtype == np.float64, f"dtype {c.dtype}, expected float64"
            assert c is not g and not np.shares_memory(c, g), "returned an input array (or a view of it)"
            assert np.allclose(c, g.astype(np.float64) * scale, rtol=1e-9, atol=1e-12), "wrong clipped values"
            assert np.array_equal(g, orig), "an input array was modified"
        if want_norm > max_norm and eps == 0.0:
            assert math.isclose(global_norm(clipped), max_norm, rel_tol=1e-6), "clipped norm != max_norm"


def _exact():
    clipped, norm = clip_by_global_norm([np.array([3.0]), np.array([[4.0]])], 1.0, 0.0)
    assert norm == 5.0, norm
    assert np.allclose(clipped[0], [0.6]) and np.allclose(clipped[1], [[0.8]]), clipped
    clipped, norm = clip_by_global_norm([np.array([3.0, 4.0])], 5.0)
    assert norm == 5.0 and np.array_equal(clipped[0], [3.0, 4.0]), "norm == max_norm must not clip"
    assert global_norm([]) == 0.0 and clip_by_global_norm([], 1.0) == ([], 0.0), "empty list"


case("random gradient lists", _random)
case("exact values and edge cases", _exact)
case("max_norm 0 raises", lambda: raises(ValueError, clip_by_global_norm, [np.ones(3)], 0.0))
case("negative max_norm raises", lambda: raises(ValueError, clip_by_global_norm, [np.ones(3)], -1.0))
case("nan gradient raises", lambda: raises(ValueError, clip_by_global_norm, [np.array([1.0, np.nan])], 1.0))
case("inf gradient raises", lambda: raises(ValueError, clip_by_global_norm, [np.array([np.inf])], 1.0))

if failures:
    print(f"FAIL: {len(failures)} of {total} checks failed")
    for line in failures:
        print(f"  - {line}")
    sys.exit(1)
print(f"PASS: all {total} checks passed")
