"""Date and time helpers for billing periods."""

from datetime import datetime, timedelta, timezone


def days_in_month(year, month):
    """Return the number of days in ``month`` (1-12) of ``year`` (Gregorian calendar).

    Leap years are the years divisible by 4, except those divisible by 100 but
    not by 400 (so 2000 is a leap year and 1900 is not).

    Raises:
        ValueError: if ``month`` is not in 1..12.
    """
    if month == 2:
        return 29 if year % 4 == 0 else 28
    return 30 if month in (4, 6, 9, 11) else 31


def add_months(d, n):
    """Return the ``datetime.date`` ``n`` calendar months after ``d`` (``n`` may be negative).

    The day of the month is kept when the target month has it; otherwise it is
    clamped to the target month's last day: 2024-01-31 plus 1 month is
    2024-02-29, and 2023-03-31 minus 1 month is 2023-02-28.
    """
    month = d.month + n
    year = d.year + month // 12
    month = month % 12
    return d.replace(year=year, month=month)


def week_start(d):
    """Return the Monday of the week containing the date ``d`` (``d`` itself if a Monday)."""
    return d - timedelta(days=d.isoweekday())


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
    dt = datetime.strptime(ts[:19], "%Y-%m-%dT%H:%M:%S")
    return dt.replace(tzinfo=timezone.utc)


def hours_between(a, b):
    """Return the number of hours from timestamp ``a`` to timestamp ``b`` as a float.

    Both are timestamps in the format accepted by ``to_utc``. The result is
    negative when ``b`` is before ``a`` and can be more than 24.
    """
    return (to_utc(b) - to_utc(a)).seconds / 3600
