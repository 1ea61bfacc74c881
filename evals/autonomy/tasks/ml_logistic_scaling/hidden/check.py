"""Hidden check for ml_logistic_scaling. Run from the working directory: python3 check.py

Loads weights.npy and measures the accuracy on a fresh held-out set drawn from
the same process as data.npz, with another seed.
"""

import os
import signal
import sys

ACCURACY_BAR = 0.90
N_HIDDEN = 20000
HIDDEN_SEED = 626262


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
    scales = np.array([1.0, 50.0, 0.02, 300.0, 5.0])
    offsets = np.array([0.0, 100.0, 0.0, -500.0, 2.0])
    w = np.array([2.0, -1.5, 1.0, 0.5, -2.0])
    z = rng.normal(size=(n, 5))
    y = (z @ w + 0.3 + 0.5 * rng.logistic(size=n) > 0).astype(np.int64)
    return z * scales + offsets, y
# ---- end of generating process ----


if not os.path.isfile("weights.npy"):
    fail("weights.npy not found in the working directory (run train.py)")
try:
    w = np.load("weights.npy", allow_pickle=False)
except BaseException as exc:
    fail(f"cannot load weights.npy ({type(exc).__name__}: {exc})")
if not isinstance(w, np.ndarray) or w.shape != (6,) or w.dtype.kind not in "fiu":
    fail(f"weights.npy must hold a numeric array of shape (6,), got {getattr(w, 'shape', None)}")
w = w.astype(np.float64)
if not np.all(np.isfinite(w)):
    fail("weights.npy contains NaN or infinite values")

X, y = generate(N_HIDDEN, np.random.default_rng(HIDDEN_SEED))
accuracy = float(np.mean((X @ w[:5] + w[5] > 0) == (y == 1)))
if accuracy < ACCURACY_BAR:
    fail(f"held-out accuracy {accuracy:.4f} is below {ACCURACY_BAR}")
print(f"PASS: held-out accuracy {accuracy:.4f} >= {ACCURACY_BAR}")
