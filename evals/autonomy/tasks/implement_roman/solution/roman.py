"""Convert between integers and Roman numerals."""

_SYMBOLS = [
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
]


def to_roman(n):
    """Return the Roman numeral for the integer ``n`` (1 <= n <= 3999).

    The numeral is written in the standard modern form, in uppercase, with
    the six subtractive pairs IV (4), IX (9), XL (40), XC (90), CD (400) and
    CM (900) and no other subtraction, e.g. 4 -> "IV", 14 -> "XIV",
    1994 -> "MCMXCIV", 3999 -> "MMMCMXCIX".

    Raises:
        TypeError: if ``n`` is not an ``int``. ``bool`` values (True, False)
            are rejected too, as are floats such as 5.0.
        ValueError: if ``n`` is an int outside 1..3999.
    """
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError(f"expected an int, got {type(n).__name__}")
    if not 1 <= n <= 3999:
        raise ValueError(f"{n} is outside 1..3999")
    parts = []
    for value, symbol in _SYMBOLS:
        count, n = divmod(n, value)
        parts.append(symbol * count)
    return "".join(parts)


def from_roman(s):
    """Return the integer value of the Roman numeral ``s``.

    Only numerals in the standard form are accepted: ``from_roman(s)`` must
    succeed exactly for the strings that ``to_roman`` returns for 1..3999,
    so that ``from_roman(to_roman(n)) == n`` for every such ``n``, and must
    raise ValueError for every other string. For example "IIII", "VV",
    "IC", "XM", "VX", "IXI", "MMMM", "" (empty), "iv" (lowercase) and
    " IV" (whitespace) are all invalid.

    Raises:
        TypeError: if ``s`` is not a ``str``.
        ValueError: if ``s`` is not a valid numeral in the standard form.
    """
    if not isinstance(s, str):
        raise TypeError(f"expected a str, got {type(s).__name__}")
    total = 0
    pos = 0
    for value, symbol in _SYMBOLS:
        while s.startswith(symbol, pos):
            total += value
            pos += len(symbol)
    # The greedy scan accepts some non-standard strings (e.g. "IIII" or
    # "XCX"); re-encoding and comparing rejects everything but the standard form.
    if pos != len(s) or not 1 <= total <= 3999 or to_roman(total) != s:
        raise ValueError(f"not a valid Roman numeral: {s!r}")
    return total
