"""Logistic regression by full-batch gradient descent.

    python3 train.py

Reads data.npz (X_train, y_train), trains, and writes weights.npy: the
feature weights followed by the bias, so that an example x is predicted
positive when x @ w[:-1] + w[-1] > 0.
"""

import numpy as np

LEARNING_RATE = 0.01
N_STEPS = 500


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def main():
    with np.load("data.npz") as data:
        X = data["X_train"].astype(np.float64)
        y = data["y_train"].astype(np.float64)
    A = np.hstack([X, np.ones((len(X), 1))])
    w = np.zeros(A.shape[1])
    for _ in range(N_STEPS):
        grad = A.T @ (sigmoid(A @ w) - y) / len(y)
        w -= LEARNING_RATE * grad
    np.save("weights.npy", w)
    accuracy = float(np.mean((A @ w > 0) == (y == 1)))
    print(f"training accuracy {accuracy:.3f}")


if __name__ == "__main__":
    main()
