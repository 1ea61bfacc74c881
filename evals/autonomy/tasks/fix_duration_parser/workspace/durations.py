"""Parse human-written durations such as "1h30m"."""

import re

_COMPONENT = re.compile(r"(\d+)([hms])")


def parse_duration(s):
    """Parse a compact duration such as ``"1h30m"`` and return it in seconds.

    Format: one or more components, each a non-negative decimal integer
    (ASCII digits only, no sign, no decimal point) immediately followed by a
    unit letter: ``h`` (hours), ``m`` (minutes) or ``s`` (seconds). Each unit
    may appear at most once and units must come in the order h, m, s; any of
    them may be left out, but at least one component is required. Unit
    letters are lowercase. Leading and trailing whitespace is ignored; no
    other characters (including whitespace between components) are allowed.

    Examples:
        "45s" -> 45, "90m" -> 5400, "2h" -> 7200, "1h30m" -> 5400,
        "1h2m3s" -> 3723, "0s" -> 0, " 5m " -> 300.

    Returns:
        The total number of seconds, as an ``int``.

    Raises:
        ValueError: for any string that does not follow the format, for
            example "", "abc", "5", "5x", "1h1h", "30m1h", "-5m", "1.5h",
            "1 h", "1H".
    """
    total = 0
    for number, unit in _COMPONENT.findall(s):
        value = int(number)
        if unit == "h":
            total += value * 3600
        elif unit == "m":
            total += value * 600
        else:
            total += value
    return total
