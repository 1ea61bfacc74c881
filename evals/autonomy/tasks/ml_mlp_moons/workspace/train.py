"""A one-hidden-layer neural network trained with hand-written backpropagation.

    python3 train.py

Reads data.npz (X_train, y_train) and writes mlp.npz with W1 (2, H), b1 (H,),
W2 (H,) and b2 (scalar); the network's logit for a point x is
tanh(x @ W1 + b1) @ W2 + b2, and the point is predicted positive when the
logit is above 0.
"""

import numpy as np

HIDDEN = 16
LEARNING_RATE = 0.05
N_STEPS = 300


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def main():
    with np.load("data.npz") as data:
        X = data["X_train"].astype(np.float64)
        y = data["y_train"].astype(np.float64)
    rng = np.random.default_rng(0)
    W1 = rng.normal(0.0, 1.0, size=(2, HIDDEN))
    b1 = np.zeros(HIDDEN)
    W2 = rng.normal(0.0, 1.0 / np.sqrt(HIDDEN), size=HIDDEN)
    b2 = 0.0
    for _ in range(N_STEPS):
        h = np.tanh(X @ W1 + b1)
        p = sigmoid(h @ W2 + b2)
        g = (p - y) / len(y)  # d loss / d logit (mean cross-entropy)
        grad_W2 = h.T @ g
        grad_b2 = g.sum()
        grad_h = np.outer(g, W2) * (1.0 - h)
        grad_W1 = X.T @ grad_h
        grad_b1 = grad_h.sum(axis=0)
        W1 -= LEARNING_RATE * grad_W1
        b1 -= LEARNING_RATE * grad_b1
        W2 += LEARNING_RATE * grad_W2
        b2 -= LEARNING_RATE * grad_b2
    np.savez("mlp.npz", W1=W1, b1=b1, W2=W2, b2=np.float64(b2))
    logits = np.tanh(X @ W1 + b1) @ W2 + b2
    print(f"training accuracy {float(np.mean((logits > 0) == (y == 1))):.3f}")


if __name__ == "__main__":
    main()
