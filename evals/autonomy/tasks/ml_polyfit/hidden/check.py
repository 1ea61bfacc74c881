"""Hidden check for ml_polyfit. Run from the working directory: python3 check.py

Loads coeffs.npy and measures the mean squared error on a fresh held-out set
drawn from the same process as data.npz, with another seed.
"""

import os
import signal
import sys

MSE_BAR = 0.11
N_HIDDEN = 20000
HIDDEN_SEED = 515151


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
    x = rng.uniform(-3.0, 3.0, size=n)
    y = 0.5 * x**3 - x**2 + 2.0 * np.sin(2.0 * x) + rng.normal(0.0, 0.3, size=n)
    return x, y
# ---- end of generating process ----


if not os.path.isfile("coeffs.npy"):
    fail("coeffs.npy not found in the working directory (run train.py)")
try:
    coeffs = np.load("coeffs.npy", allow_pickle=False)
except BaseException as exc:
    fail(f"cannot load coeffs.npy ({type(exc).__name__}: {exc})")
if not isinstance(coeffs, np.ndarray) or coeffs.ndim != 1 or not 1 <= coeffs.size <= 16:
    fail(f"coeffs.npy must hold a 1-D array of 1 to 16 coefficients, got shape {getattr(coeffs, 'shape', None)}")
if coeffs.dtype.kind not in "fiu" or not np.all(np.isfinite(coeffs)):
    fail("coeffs.npy must hold finite numbers")

x, y = generate(N_HIDDEN, np.random.default_rng(HIDDEN_SEED))
with np.errstate(all="ignore"):
    mse = float(np.mean((np.polyval(coeffs.astype(np.float64), x) - y) ** 2))
if not np.isfinite(mse) or mse >= MSE_BAR:
    fail(f"held-out MSE {mse:.6g} is not below {MSE_BAR}")
print(f"PASS: held-out MSE {mse:.6g} < {MSE_BAR} (degree {coeffs.size - 1})")
