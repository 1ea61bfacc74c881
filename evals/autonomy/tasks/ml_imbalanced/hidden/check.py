"""Hidden check for ml_imbalanced. Run from the working directory: python3 check.py

Loads model.npz and measures the balanced accuracy on a fresh held-out set
drawn from the same process as data.npz, with another seed.
"""

import os
import signal
import sys

BALANCED_ACCURACY_BAR = 0.84
N_HIDDEN = 100000
HIDDEN_SEED = 171717


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
    labels = (rng.random(n) < 0.04).astype(np.int64)
    X = rng.normal(size=(n, 3)) + np.outer(labels, [1.6, -1.2, 1.0])
    return X, labels
# ---- end of generating process ----


if not os.path.isfile("model.npz"):
    fail("model.npz not found in the working directory (run train.py)")
try:
    with np.load("model.npz", allow_pickle=False) as model:
        w, b, threshold = (np.asarray(model[k]) for k in ("w", "b", "threshold"))
except BaseException as exc:
    fail(f"cannot load w, b, threshold from model.npz ({type(exc).__name__}: {exc})")
if w.shape != (3,) or b.size != 1 or threshold.size != 1:
    fail(f"expected w of shape (3,) and scalars b and threshold, got {w.shape}, {b.shape}, {threshold.shape}")
if any(a.dtype.kind not in "fiu" for a in (w, b, threshold)):
    fail("w, b and threshold must be numbers")
w, b, threshold = w.astype(np.float64), float(b.reshape(())), float(threshold.reshape(()))
if not (np.all(np.isfinite(w)) and np.isfinite(b) and 0.0 <= threshold <= 1.0):
    fail("w and b must be finite and threshold in [0, 1]")

X, labels = generate(N_HIDDEN, np.random.default_rng(HIDDEN_SEED))
with np.errstate(over="ignore"):
    predicted = 1.0 / (1.0 + np.exp(-(X @ w + b))) >= threshold
positive = labels == 1
score = 0.5 * (float(np.mean(predicted[positive])) + float(np.mean(~predicted[~positive])))
if score < BALANCED_ACCURACY_BAR:
    fail(f"held-out balanced accuracy {score:.4f} is below {BALANCED_ACCURACY_BAR}")
print(f"PASS: held-out balanced accuracy {score:.4f} >= {BALANCED_ACCURACY_BAR}")
