"""Hidden check for implement_ema. Run from the working directory: python3 check.py"""

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

    from ema import EMA
except BaseException as exc:
    print(f"FAIL: cannot import EMA from ema.py ({type(exc).__name__}: {exc})")
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


rng = np.random.default_rng(23)
SHAPES = {"w1": (3, 4), "b1": (4,), "w2": (4, 2), "scale": ()}


def _sequences():
    for run in range(60):
        decay = float(rng.choice([0.0, 0.5, 0.9, 0.999, rng.uniform(0, 1)]))
        warmup = bool(rng.integers(0, 2))
        ema = EMA(decay, warmup=warmup)
        ref = {}
        for n in range(int(rng.integers(1, 30))):
            names = [k for k in SHAPES if rng.random() < 0.8] or ["w1"]
            params = {k: rng.normal(size=SHAPES[k]).astype(rng.choice([np.float32, np.float64]))
                      for k in names}
            d = min(decay, (1 + n) / (10 + n)) if warmup else decay
            for k, v in params.items():
                ref[k] = v.astype(np.float64).copy() if k not in ref else d * ref[k] + (1 - d) * v.astype(np.float64)
            ema.update(params)
            for v in params.values():
                v[...] = 1e6  # later changes to the live arrays must not leak into the shadows
            assert ema.num_updates == n + 1, f"num_updates {ema.num_updates}, expected {n + 1}"
            assert set(ema.shadow) == set(ref), f"shadow names {sorted(ema.shadow)} != {sorted(ref)}"
            for k in ref:
                got = ema.shadow[k]
                assert isinstance(got, np.ndarray) and got.dtype == np.float64, f"shadow {k!r} must be a float64 array"
                assert got.shape == ref[k].shape, f"shadow {k!r} shape {got.shape}"
                assert np.allclose(got, ref[k], rtol=1e-6, atol=1e-9), (
                    f"run {run} decay={decay} warmup={warmup} update {n}: shadow {k!r} is wrong")


def _copy_to():
    ema = EMA(0.5)
    ema.update({"a": np.array([2.0, 4.0]), "b": np.zeros(3)})
    ema.update({"a": np.array([4.0, 8.0])})
    target = {"a": np.zeros(2), "c": np.ones(2)}
    keep = target["a"]
    ema.copy_to(target)
    assert target["a"] is keep, "copy_to must write in place"
    assert np.allclose(target["a"], [3.0, 6.0]), target["a"]
    assert np.array_equal(target["c"], np.ones(2)), "unknown names must be left alone"
    target["a"][...] = 0
    assert np.allclose(ema.shadow["a"], [3.0, 6.0]), "copy_to made the shadow alias the target"


def _shape_change():
    ema = EMA(0.9)
    ema.update({"a": np.zeros(3), "b": np.zeros(2)})
    raises(ValueError, ema.update, {"b": np.ones(2), "a": np.zeros(4)})
    assert ema.num_updates == 1 and np.array_equal(ema.shadow["b"], np.zeros(2)), "a failed update changed the shadows"


def _warmup_values():
    ema = EMA(0.99, warmup=True)
    ema.update({"x": np.array(0.0)})
    ema.update({"x": np.array(1.0)})  # d = min(0.99, 2/11)
    assert np.isclose(float(ema.shadow["x"]), 1 - 2 / 11), float(ema.shadow["x"])


case("random update sequences", _sequences)
case("copy_to", _copy_to)
case("shape changes raise", _shape_change)
case("warmup decay", _warmup_values)
case("decay 1 raises", lambda: raises(ValueError, EMA, 1.0))
case("negative decay raises", lambda: raises(ValueError, EMA, -0.1))

if failures:
    print(f"FAIL: {len(failures)} of {total} checks failed")
    for line in failures:
        print(f"  - {line}")
    sys.exit(1)
print(f"PASS: all {total} checks passed")
