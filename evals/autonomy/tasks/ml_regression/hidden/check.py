"""Hidden check for ml_regression. Run from the working directory: python check.py

Loads weights.npy (feature weights followed by the bias) and measures the mean
squared error on a fresh held-out set drawn from the same distribution as
data.npz, but with a different seed. The generating process is copied here,
so editing make_data.py in the workspace has no effect on the check.
"""

import os
import signal
import sys

MSE_BAR = 0.05
N_HIDDEN = 5000
HIDDEN_SEED = 90210

TRUE_WEIGHTS = [1.5, -2.0, 0.7, 3.0, -0.4, 0.9, -1.2, 0.25]
TRUE_BIAS = 4.0
FEATURE_MEANS = [1.0, -2.0, 0.5, 3.0, 0.0, -1.0, 2.0, 0.0]
FEATURE_SCALES = [0.5, 1.0, 2.0, 5.0, 0.8, 3.0, 1.5, 4.0]
NOISE_STD = 0.1


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

if not os.path.isfile("weights.npy"):
    fail("weights.npy not found in the working directory (run train.py)")

try:
    w = np.load("weights.npy", allow_pickle=False)
except BaseException as exc:
    fail(f"cannot load weights.npy ({type(exc).__name__}: {exc})")

n_features = len(TRUE_WEIGHTS)
if not isinstance(w, np.ndarray) or w.shape != (n_features + 1,):
    shape = getattr(w, "shape", type(w).__name__)
    fail(f"weights.npy must hold an array of shape ({n_features + 1},), got {shape}")
if not np.issubdtype(w.dtype, np.floating) and not np.issubdtype(w.dtype, np.integer):
    fail(f"weights.npy must hold numbers, got dtype {w.dtype}")
w = w.astype(np.float64)
if not np.all(np.isfinite(w)):
    fail("weights.npy contains NaN or infinite values")

rng = np.random.default_rng(HIDDEN_SEED)
X = rng.normal(size=(N_HIDDEN, n_features)) * np.array(FEATURE_SCALES) + np.array(FEATURE_MEANS)
y = X @ np.array(TRUE_WEIGHTS) + TRUE_BIAS + rng.normal(scale=NOISE_STD, size=N_HIDDEN)

with np.errstate(all="ignore"):
    pred = X @ w[:-1] + w[-1]
    hidden_mse = float(np.mean((pred - y) ** 2))

if not np.isfinite(hidden_mse):
    fail("held-out MSE is not finite")
if hidden_mse >= MSE_BAR:
    fail(f"held-out MSE {hidden_mse:.6g} is not below {MSE_BAR}")
print(f"PASS: held-out MSE {hidden_mse:.6g} < {MSE_BAR}")
