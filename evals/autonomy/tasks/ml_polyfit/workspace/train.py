"""Fit a polynomial to the data in data.npz and save its coefficients.

    python3 train.py

Writes coeffs.npy: the polynomial's coefficients, highest degree first, so
that predictions are numpy.polyval(coeffs, x).
"""

import numpy as np

DEGREE = 1


def main():
    with np.load("data.npz") as data:
        x = data["X_train"].astype(np.float64)
        y = data["y_train"].astype(np.float64)
    coeffs = np.polyfit(x, y, DEGREE)
    np.save("coeffs.npy", coeffs)
    mse = float(np.mean((np.polyval(coeffs, x) - y) ** 2))
    print(f"degree {DEGREE}: training MSE {mse:.4f}")


if __name__ == "__main__":
    main()
