"""k-means clustering of the points in data.npz.

    python3 train.py

Writes centroids.npy, an array of shape (K, 2).
"""

import numpy as np

K = 4
N_ITERS = 5


def assign(X, centroids):
    distances = ((X[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2)
    return distances.argmin(axis=1)


def kmeans(X, k):
    centroids = X[:k].copy()
    for _ in range(N_ITERS):
        labels = assign(X, centroids)
        for j in range(k):
            centroids[j] = X[labels == j].mean()
    return centroids


def main():
    with np.load("data.npz") as data:
        X = data["X_train"].astype(np.float64)
    centroids = kmeans(X, K)
    np.save("centroids.npy", centroids)
    inertia = float(((X - centroids[assign(X, centroids)]) ** 2).sum())
    print(f"inertia {inertia:.2f}")
    print(centroids)


if __name__ == "__main__":
    main()
