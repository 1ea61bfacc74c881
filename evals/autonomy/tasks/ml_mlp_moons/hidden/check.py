"""Hidden check for ml_mlp_moons. Run from the working directory: python3 check.py

Loads mlp.npz and measures the accuracy on a fresh held-out set drawn from the
same process as data.npz, with another seed.
"""

import os
import signal
import sys

ACCURACY_BAR = 0.95
MAX_HIDDEN = 64
N_HIDDEN = 20000
HIDDEN_SEED = 959595


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
    labels = rng.integers(0, 2, size=n)
    t = rng.uniform(0.0, np.pi, size=n)
    x = np.where(labels == 0, np.cos(t), 1.0 - np.cos(t))
    y = np.where(labels == 0, np.sin(t), 0.5 - np.sin(t))
    return np.stack([x, y], axis=1) + rng.normal(0.0, 0.2, size=(n, 2)), labels
# ---- end of generating process ----


if not os.path.isfile("mlp.npz"):
    fail("mlp.npz not found in the working directory (run train.py)")
try:
    with np.load("mlp.npz", allow_pickle=False) as model:
        W1, b1, W2, b2 = (np.asarray(model[k]) for k in ("W1", "b1", "W2", "b2"))
except BaseException as exc:
    fail(f"cannot load W1, b1, W2, b2 from mlp.npz ({type(exc).__name__}: {exc})")
if W1.ndim != 2 or W1.shape[0] != 2 or not 1 <= W1.shape[1] <= MAX_HIDDEN:
    fail(f"W1 must have shape (2, H) with 1 <= H <= {MAX_HIDDEN}, got {W1.shape}")
H = W1.shape[1]
if b1.shape != (H,) or W2.shape != (H,) or b2.size != 1:
    fail(f"expected b1 ({H},), W2 ({H},) and a scalar b2, got {b1.shape}, {W2.shape}, {b2.shape}")
if any(a.dtype.kind not in "fiu" for a in (W1, b1, W2, b2)):
    fail("the parameters must be numeric arrays")
params = [a.astype(np.float64) for a in (W1, b1, W2, b2)]
if not all(np.all(np.isfinite(a)) for a in params):
    fail("the parameters must be finite numbers")
W1, b1, W2, b2 = params

X, labels = generate(N_HIDDEN, np.random.default_rng(HIDDEN_SEED))
logits = np.tanh(X @ W1 + b1) @ W2 + float(b2.reshape(()))
accuracy = float(np.mean((logits > 0) == (labels == 1)))
if accuracy < ACCURACY_BAR:
    fail(f"held-out accuracy {accuracy:.4f} is below {ACCURACY_BAR}")
print(f"PASS: held-out accuracy {accuracy:.4f} >= {ACCURACY_BAR}")
