"""Convert between integers and Roman numerals."""


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
    raise NotImplementedError


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
    raise NotImplementedError
