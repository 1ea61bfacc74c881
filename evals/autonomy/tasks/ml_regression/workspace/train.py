"""Fit a linear regression (with bias) by gradient descent.

    python train.py

Reads data.npz (generating it with make_data.py first if it is missing),
trains on X_train / y_train, writes the learned parameters to weights.npy and
prints the mean squared error on the training and validation sets.

weights.npy holds a float array of shape (n_features + 1,): the feature
weights followed by the bias, so that predictions are X @ w[:-1] + w[-1].
"""

import os

import numpy as np
from make_data import make_data

DATA_PATH = "data.npz"
WEIGHTS_PATH = "weights.npy"

LEARNING_RATE = 0.03
N_STEPS = 100


def load_data(path=DATA_PATH):
    if not os.path.exists(path):
        make_data(path)
    with np.load(path) as data:
        return data["X_train"], data["y_train"], data["X_val"], data["y_val"]


def with_bias_column(X):
    return np.hstack([X, np.ones((X.shape[0], 1))])


def mse(w, X, y):
    residual = with_bias_column(X) @ w - y
    return float(np.mean(residual**2))


def train(X, y, learning_rate=LEARNING_RATE, n_steps=N_STEPS):
    """Plain full-batch gradient descent on the mean squared error."""
    A = with_bias_column(X)
    w = np.zeros(A.shape[1])
    for _ in range(n_steps):
        gradient = 2.0 / len(y) * (A.T @ (A @ w - y))
        w = w - learning_rate * gradient
    return w


def main():
    X_train, y_train, X_val, y_val = load_data()
    w = train(X_train, y_train)
    np.save(WEIGHTS_PATH, w)
    print(f"train MSE:      {mse(w, X_train, y_train):.6g}")
    print(f"validation MSE: {mse(w, X_val, y_val):.6g}")


if __name__ == "__main__":
    main()
