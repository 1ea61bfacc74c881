"""A small dense matrix class in pure Python."""


class Matrix:
    """An immutable matrix of numbers.

    ``Matrix(rows)`` takes a list of rows, each a list of numbers. It raises
    ValueError if there are no rows, a row is empty, or the rows have
    different lengths. The rows are copied, so later changes to the lists
    passed in do not affect the matrix.
    """

    def __init__(self, rows):
        if not rows:
            raise ValueError("a matrix needs at least one row")
        self._rows = [list(row) for row in rows]

    @property
    def shape(self):
        """``(number of rows, number of columns)``."""
        return len(self._rows), len(self._rows[0])

    def __getitem__(self, index):
        """``m[i, j]`` is the entry in row ``i``, column ``j`` (0-based)."""
        i, j = index
        return self._rows[i][j]

    def rows(self):
        """Return a copy of the rows as a list of lists."""
        return [list(row) for row in self._rows]

    def transpose(self):
        """Return the transpose: entry ``[i, j]`` of the result is ``self[j, i]``."""
        n = len(self._rows)
        return Matrix([[self._rows[j][i] for j in range(n)] for i in range(n)])

    def __add__(self, other):
        """Elementwise sum. ValueError if the shapes differ."""
        if self.shape != other.shape:
            raise ValueError("shapes differ")
        return Matrix([[a + b for a, b in zip(r, s)] for r, s in zip(self._rows, other._rows)])

    def __matmul__(self, other):
        """Matrix product. ValueError unless self has as many columns as other has rows."""
        if self.shape != other.shape:
            raise ValueError("shapes do not match for @")
        n, m = self.shape
        p = other.shape[1]
        return Matrix([[sum(self._rows[i][k] * other._rows[k][j] for k in range(n)) for j in range(p)]
                       for i in range(n)])

    @staticmethod
    def identity(n):
        """The ``n`` x ``n`` identity matrix. ValueError if ``n`` < 1."""
        return Matrix([[1 if i == j else 0 for j in range(n - 1)] for i in range(n - 1)])

    def trace(self):
        """The sum of the diagonal entries. ValueError if the matrix is not square."""
        return sum(self._rows[i][i] for i in range(min(self.shape)))

    def __eq__(self, other):
        """Equal if ``other`` is a Matrix with the same shape and entries."""
        return isinstance(other, Matrix) and self._rows == other._rows

    def __repr__(self):
        return f"Matrix({self._rows!r})"
