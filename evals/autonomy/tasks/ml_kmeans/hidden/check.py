"""Hidden check for ml_kmeans. Run from the working directory: python3 check.py

Loads centroids.npy, assigns fresh labelled points (drawn from the same process
as data.npz, with another seed) to their nearest centroid, and measures the
share assigned to their true cluster under the best matching of clusters.
"""

import itertools
import os
import signal
import sys

ACCURACY_BAR = 0.95
N_HIDDEN = 20000
HIDDEN_SEED = 737373


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
    centers = np.array([[-4.0, -4.0], [4.0, -3.0], [0.0, 4.0], [6.0, 4.0]])
    spreads = np.array([1.0, 0.8, 0.7, 0.5])
    labels = rng.choice(4, size=n, p=[0.4, 0.3, 0.2, 0.1])
    X = centers[labels] + rng.normal(size=(n, 2)) * spreads[labels, None]
    return X, labels
# ---- end of generating process ----


if not os.path.isfile("centroids.npy"):
    fail("centroids.npy not found in the working directory (run train.py)")
try:
    centroids = np.load("centroids.npy", allow_pickle=False)
except BaseException as exc:
    fail(f"cannot load centroids.npy ({type(exc).__name__}: {exc})")
if not isinstance(centroids, np.ndarray) or centroids.shape != (4, 2) or centroids.dtype.kind not in "fiu":
    fail(f"centroids.npy must hold a numeric array of shape (4, 2), got {getattr(centroids, 'shape', None)}")
centroids = centroids.astype(np.float64)
if not np.all(np.isfinite(centroids)):
    fail("centroids.npy contains NaN or infinite values")

X, labels = generate(N_HIDDEN, np.random.default_rng(HIDDEN_SEED))
assigned = ((X[:, None, :] - centroids[None]) ** 2).sum(axis=2).argmin(axis=1)
best = max(float(np.mean(np.array(perm)[assigned] == labels)) for perm in itertools.permutations(range(4)))
if best < ACCURACY_BAR:
    fail(f"only {best:.4f} of held-out points are in their true cluster (best matching); need {ACCURACY_BAR}")
print(f"PASS: {best:.4f} of held-out points are in their true cluster (>= {ACCURACY_BAR})")
