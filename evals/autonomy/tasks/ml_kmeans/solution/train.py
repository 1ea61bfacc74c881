"""k-means clustering of the points in data.npz.

    python3 train.py

Writes centroids.npy, an array of shape (K, 2). Uses k-means++ seeding and
keeps the best of several restarts (lowest inertia).
"""

import numpy as np

K = 4
N_ITERS = 100
N_RESTARTS = 20


def assign(X, centroids):
    distances = ((X[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2)
    return distances.argmin(axis=1)


def inertia(X, centroids):
    return float(((X - centroids[assign(X, centroids)]) ** 2).sum())


def kmeans_pp_init(X, k, rng):
    centroids = [X[rng.integers(len(X))]]
    for _ in range(1, k):
        d2 = ((X[:, None, :] - np.array(centroids)[None]) ** 2).sum(axis=2).min(axis=1)
        centroids.append(X[rng.choice(len(X), p=d2 / d2.sum())])
    return np.array(centroids)


def kmeans(X, k, rng):
    centroids = kmeans_pp_init(X, k, rng)
    for _ in range(N_ITERS):
        labels = assign(X, centroids)
        new = np.array([X[labels == j].mean(axis=0) if np.any(labels == j) else centroids[j]
                        for j in range(k)])
        if np.allclose(new, centroids):
            break
        centroids = new
    return centroids


def main():
    with np.load("data.npz") as data:
        X = data["X_train"].astype(np.float64)
    rng = np.random.default_rng(0)
    centroids = min((kmeans(X, K, rng) for _ in range(N_RESTARTS)), key=lambda c: inertia(X, c))
    np.save("centroids.npy", centroids)
    print(f"inertia {inertia(X, centroids):.2f}")
    print(centroids)


if __name__ == "__main__":
    main()
