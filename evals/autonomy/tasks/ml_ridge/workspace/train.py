"""Fit a linear model with a bias to data.npz by least squares.

    python3 train.py

Writes weights.npy: the feature weights followed by the bias, so that
predictions are X @ w[:-1] + w[-1].
"""

import numpy as np


def main():
    with np.load("data.npz") as data:
        X = data["X_train"].astype(np.float64)
        y = data["y_train"].astype(np.float64)
    A = np.hstack([X, np.ones((len(X), 1))])
    w, *_ = np.linalg.lstsq(A, y, rcond=None)
    np.save("weights.npy", w)
    print(f"training MSE {float(np.mean((A @ w - y) ** 2)):.4f}")


if __name__ == "__main__":
    main()
