"""Logistic regression for a data set with rare positives.

    python3 train.py

Reads data.npz (X_train, y_train) and writes model.npz with w (3,), b and
threshold: an example x is predicted positive when
sigmoid(x @ w + b) >= threshold.
"""

import numpy as np

LEARNING_RATE = 0.5
N_STEPS = 2000
THRESHOLD = 0.5


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def main():
    with np.load("data.npz") as data:
        X = data["X_train"].astype(np.float64)
        y = data["y_train"].astype(np.float64)
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(N_STEPS):
        g = (sigmoid(X @ w + b) - y) / len(y)
        w -= LEARNING_RATE * (X.T @ g)
        b -= LEARNING_RATE * g.sum()
    np.savez("model.npz", w=w, b=np.float64(b), threshold=np.float64(THRESHOLD))
    predicted = sigmoid(X @ w + b) >= THRESHOLD
    print(f"training accuracy {float(np.mean(predicted == (y == 1))):.3f}")


if __name__ == "__main__":
    main()
