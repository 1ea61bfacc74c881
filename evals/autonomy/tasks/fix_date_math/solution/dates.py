"""Date and time helpers for billing periods."""

import re
from datetime import datetime, timedelta, timezone

_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})")


def days_in_month(year, month):
    """Return the number of days in ``month`` (1-12) of ``year`` (Gregorian calendar).

    Leap years are the years divisible by 4, except those divisible by 100 but
    not by 400 (so 2000 is a leap year and 1900 is not).

    Raises:
        ValueError: if ``month`` is not in 1..12.
    """
    if not 1 <= month <= 12:
        raise ValueError(f"month {month} is not in 1..12")
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def add_months(d, n):
    """Return the ``datetime.date`` ``n`` calendar months after ``d`` (``n`` may be negative).

    The day of the month is kept when the target month has it; otherwise it is
    clamped to the target month's last day: 2024-01-31 plus 1 month is
    2024-02-29, and 2023-03-31 minus 1 month is 2023-02-28.
    """
    index = d.year * 12 + (d.month - 1) + n
    year, month = divmod(index, 12)
    month += 1
    return d.replace(year=year, month=month, day=min(d.day, days_in_month(year, month)))


def week_start(d):
    """Return the Monday of the week containing the date ``d`` (``d`` itself if a Monday)."""
    return d - timedelta(days=d.weekday())


def to_utc(ts):
    """Parse a timestamp with a UTC offset and return it as an aware UTC datetime.

    ``ts`` looks like ``"2024-03-10T01:30:00Z"`` or ``"2024-03-10T01:30:00+05:30"``
    or ``"2024-03-10T01:30:00-08:00"``: a date, "T", a time with seconds, and
    then "Z" (UTC) or an offset from UTC as +HH:MM / -HH:MM. The result is the
    same instant as a ``datetime`` whose ``tzinfo`` is ``datetime.timezone.utc``.

    Raises:
        ValueError: if ``ts`` has no "Z" or offset (a naive timestamp) or is
            not a valid timestamp.
    """
    if not _TIMESTAMP.fullmatch(ts):
        raise ValueError(f"not a timestamp with a UTC offset: {ts!r}")
    dt = datetime.fromisoformat(ts.replace("Z", "+00:00"))
    return dt.astimezone(timezone.utc)


def hours_between(a, b):
    """Return the number of hours from timestamp ``a`` to timestamp ``b`` as a float.

    Both are timestamps in the format accepted by ``to_utc``. The result is
    negative when ``b`` is before ``a`` and can be more than 24.
    """
    return (to_utc(b) - to_utc(a)).total_seconds() / 3600
