"""Fit a polynomial to the data in data.npz and save its coefficients.

    python3 train.py

Writes coeffs.npy: the polynomial's coefficients, highest degree first, so
that predictions are numpy.polyval(coeffs, x). The degree is chosen by 5-fold
cross-validation.
"""

import numpy as np

DEGREES = range(1, 13)


def cv_mse(x, y, degree, folds=5):
    order = np.random.default_rng(0).permutation(len(x))
    errors = []
    for f in range(folds):
        test = order[f::folds]
        train = np.setdiff1d(order, test)
        coeffs = np.polyfit(x[train], y[train], degree)
        errors.append(np.mean((np.polyval(coeffs, x[test]) - y[test]) ** 2))
    return float(np.mean(errors))


def main():
    with np.load("data.npz") as data:
        x = data["X_train"].astype(np.float64)
        y = data["y_train"].astype(np.float64)
    scores = {d: cv_mse(x, y, d) for d in DEGREES}
    degree = min(scores, key=scores.get)
    coeffs = np.polyfit(x, y, degree)
    np.save("coeffs.npy", coeffs)
    print(f"chose degree {degree} (cross-validated MSE {scores[degree]:.4f})")


if __name__ == "__main__":
    main()
