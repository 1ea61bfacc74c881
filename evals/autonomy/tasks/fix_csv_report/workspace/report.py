"""Summarize spending per category from a CSV export."""

import sys


def summarize(path):
    """Return the total ``amount`` per ``category`` in the CSV file at ``path``.

    The file is UTF-8 text in the CSV dialect read by Python's ``csv`` module:
    comma-separated fields, any of which may be enclosed in double quotes, in
    which case it may contain commas, newlines and doubled quotes (``""``).

    The first row is a header naming the columns. The columns may come in any
    order and there may be other columns, which are ignored; the columns named
    exactly ``category`` and ``amount`` are the ones used.

    Every row after the header is a record. Its category is the ``category``
    field with leading and trailing whitespace removed (categories are
    otherwise compared exactly, so they are case-sensitive), and its amount is
    ``float()`` of the ``amount`` field. Completely empty lines are skipped.

    Returns:
        A dict mapping each category to the sum of its records' amounts, as
        floats. A file with a header and no records, or an entirely empty
        file, gives ``{}``.

    Raises:
        ValueError: if the header has no ``category`` or no ``amount`` column,
            or if a record's amount is not a valid number (an empty amount is
            not a valid number).
    """
    totals = {}
    with open(path, encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    if not lines:
        return totals
    header = lines[0].split(",")
    if "category" not in header or "amount" not in header:
        raise ValueError("the CSV needs 'category' and 'amount' columns")
    cat_idx = header.index("category")
    amt_idx = header.index("amount")
    for line in lines:
        if not line.strip():
            continue
        parts = line.split(",")
        category = parts[cat_idx]
        try:
            amount = float(parts[amt_idx])
        except ValueError:
            amount = 0.0
        totals[category] = totals.get(category, 0.0) + amount
    return totals


if __name__ == "__main__":
    csv_path = sys.argv[1] if len(sys.argv) > 1 else "data.csv"
    for name, value in sorted(summarize(csv_path).items()):
        print(f"{name:>12}  {value:10.2f}")
