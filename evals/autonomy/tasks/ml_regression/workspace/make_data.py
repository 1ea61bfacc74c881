"""Generate the synthetic regression data set ``data.npz``.

The data are deterministic: running this script twice gives the same file.

    python make_data.py            # writes data.npz

Arrays in data.npz:
    X_train (400, 8), y_train (400,), X_val (100, 8), y_val (100,)

Targets follow y = X @ w + b + noise with fixed true weights, a fixed bias and
Gaussian noise of standard deviation 0.1. The features have very different
scales and non-zero means.
"""

import sys

import numpy as np

N_FEATURES = 8
N_TRAIN = 400
N_VAL = 100
NOISE_STD = 0.1
SEED = 0

TRUE_WEIGHTS = np.array([1.5, -2.0, 0.7, 3.0, -0.4, 0.9, -1.2, 0.25])
TRUE_BIAS = 4.0
FEATURE_MEANS = np.array([1.0, -2.0, 0.5, 3.0, 0.0, -1.0, 2.0, 0.0])
FEATURE_SCALES = np.array([0.5, 1.0, 2.0, 5.0, 0.8, 3.0, 1.5, 4.0])


def generate(n, rng):
    """Draw ``n`` examples: returns (X, y) with X of shape (n, 8)."""
    X = rng.normal(size=(n, N_FEATURES)) * FEATURE_SCALES + FEATURE_MEANS
    y = X @ TRUE_WEIGHTS + TRUE_BIAS + rng.normal(scale=NOISE_STD, size=n)
    return X, y


def make_data(path="data.npz", seed=SEED):
    rng = np.random.default_rng(seed)
    X_train, y_train = generate(N_TRAIN, rng)
    X_val, y_val = generate(N_VAL, rng)
    np.savez(path, X_train=X_train, y_train=y_train, X_val=X_val, y_val=y_val)
    return path


if __name__ == "__main__":
    print("wrote", make_data(*sys.argv[1:2]))
