"""Logistic regression by full-batch gradient descent on standardized features.

    python3 train.py

Reads data.npz (X_train, y_train), trains, and writes weights.npy: the
feature weights followed by the bias, so that an example x is predicted
positive when x @ w[:-1] + w[-1] > 0. Training happens on standardized
features; the weights are converted back to the raw feature scale.
"""

import numpy as np

LEARNING_RATE = 0.5
N_STEPS = 3000


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))


def main():
    with np.load("data.npz") as data:
        X = data["X_train"].astype(np.float64)
        y = data["y_train"].astype(np.float64)
    mean, std = X.mean(axis=0), X.std(axis=0)
    Z = (X - mean) / std
    A = np.hstack([Z, np.ones((len(Z), 1))])
    v = np.zeros(A.shape[1])
    for _ in range(N_STEPS):
        v -= LEARNING_RATE * A.T @ (sigmoid(A @ v) - y) / len(y)
    w = np.empty_like(v)
    w[:-1] = v[:-1] / std  # z = (x - mean) / std, so v.z + c = (v/std).x + c - (v/std).mean
    w[-1] = v[-1] - np.sum(v[:-1] * mean / std)
    np.save("weights.npy", w)
    A_raw = np.hstack([X, np.ones((len(X), 1))])
    print(f"training accuracy {float(np.mean((A_raw @ w > 0) == (y == 1))):.3f}")


if __name__ == "__main__":
    main()
