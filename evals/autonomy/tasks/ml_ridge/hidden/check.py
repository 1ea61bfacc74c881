"""Hidden check for ml_ridge. Run from the working directory: python3 check.py

Loads weights.npy and measures the mean squared error on a fresh held-out set
drawn from the same process as data.npz, with another seed.
"""

import os
import signal
import sys

MSE_BAR = 2.5
N_HIDDEN = 20000
HIDDEN_SEED = 848484


def fail(reason):
    print(f"FAIL: {reason}")
    sys.exit(1)


def _timeout(*_):
    print("FAIL: check timed out")
    os._exit(1)


if hasattr(signal, "SIGALRM"):
    signal.signal(signal.SIGALRM, _timeout)
    signal.alarm(60)

try:
    import numpy as np
except BaseException as exc:
    fail(f"numpy is not importable ({type(exc).__name__}: {exc})")


# ---- generating process (the one that made data.npz, there with another seed) ----
def generate(n, rng):
    true_w = np.random.default_rng(123).normal(0.0, 0.3, size=50)  # fixed, the same for every draw
    X = rng.normal(size=(n, 50))
    return X, X @ true_w + 1.0 + rng.normal(0.0, 1.0, size=n)
# ---- end of generating process ----


if not os.path.isfile("weights.npy"):
    fail("weights.npy not found in the working directory (run train.py)")
try:
    w = np.load("weights.npy", allow_pickle=False)
except BaseException as exc:
    fail(f"cannot load weights.npy ({type(exc).__name__}: {exc})")
if not isinstance(w, np.ndarray) or w.shape != (51,) or w.dtype.kind not in "fiu":
    fail(f"weights.npy must hold a numeric array of shape (51,), got {getattr(w, 'shape', None)}")
w = w.astype(np.float64)
if not np.all(np.isfinite(w)):
    fail("weights.npy contains NaN or infinite values")

X, y = generate(N_HIDDEN, np.random.default_rng(HIDDEN_SEED))
mse = float(np.mean((X @ w[:50] + w[50] - y) ** 2))
if not mse < MSE_BAR:
    fail(f"held-out MSE {mse:.6g} is not below {MSE_BAR}")
print(f"PASS: held-out MSE {mse:.6g} < {MSE_BAR}")
