"""Fit a ridge regression (L2-regularized linear model with a bias) to data.npz.

    python3 train.py

The regularization strength is chosen by 5-fold cross-validation. Writes
weights.npy: the feature weights followed by the bias, so that predictions
are X @ w[:-1] + w[-1].
"""

import numpy as np

LAMBDAS = np.logspace(-2, 3, 26)


def ridge(A, y, lam):
    penalty = lam * np.eye(A.shape[1])
    penalty[-1, -1] = 0.0  # the bias is not regularized
    return np.linalg.solve(A.T @ A + penalty, A.T @ y)


def cv_mse(A, y, lam, folds=5):
    order = np.random.default_rng(0).permutation(len(y))
    errors = []
    for f in range(folds):
        test = order[f::folds]
        train = np.setdiff1d(order, test)
        w = ridge(A[train], y[train], lam)
        errors.append(np.mean((A[test] @ w - y[test]) ** 2))
    return float(np.mean(errors))


def main():
    with np.load("data.npz") as data:
        X = data["X_train"].astype(np.float64)
        y = data["y_train"].astype(np.float64)
    A = np.hstack([X, np.ones((len(X), 1))])
    scores = {lam: cv_mse(A, y, lam) for lam in LAMBDAS}
    lam = min(scores, key=scores.get)
    w = ridge(A, y, lam)
    np.save("weights.npy", w)
    print(f"lambda {lam:.3g}: cross-validated MSE {scores[lam]:.4f}")


if __name__ == "__main__":
    main()
