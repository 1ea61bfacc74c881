"""Hidden check for fix_date_math. Run from the working directory: python3 check.py"""

import calendar
import os
import random
import signal
import sys
from datetime import date, datetime, timedelta, timezone

sys.path.insert(0, ".")


def _timeout(*_):
    print("FAIL: check timed out")
    os._exit(1)


if hasattr(signal, "SIGALRM"):
    signal.signal(signal.SIGALRM, _timeout)
    signal.alarm(60)

try:
    from dates import add_months, days_in_month, hours_between, to_utc, week_start
except BaseException as exc:
    print(f"FAIL: cannot import from dates.py ({type(exc).__name__}: {exc})")
    sys.exit(1)

failures = []
total = 0


def case(name, fn):
    global total
    total += 1
    try:
        fn()
    except AssertionError as exc:
        failures.append(f"{name}: {exc}")
    except BaseException as exc:
        failures.append(f"{name}: unexpected {type(exc).__name__}: {exc}")


def raises(exc_type, fn, *args):
    try:
        result = fn(*args)
    except exc_type:
        return
    except BaseException as exc:
        raise AssertionError(f"expected {exc_type.__name__}, got {type(exc).__name__}") from None
    raise AssertionError(f"expected {exc_type.__name__}, got {result!r}")


rng = random.Random(31337)


def _days_in_month():
    for year in list(range(1890, 2110)) + [1600, 1700, 2400, 2100, 4]:
        for month in range(1, 13):
            want = calendar.monthrange(year, month)[1]
            got = days_in_month(year, month)
            assert got == want, f"days_in_month({year}, {month}) = {got!r}, expected {want}"
    for month in (0, 13, -1):
        raises(ValueError, days_in_month, 2024, month)


def ref_add_months(d, n):
    y, m = d.year, d.month
    step = 1 if n >= 0 else -1
    for _ in range(abs(n)):
        m += step
        if m == 13:
            y, m = y + 1, 1
        elif m == 0:
            y, m = y - 1, 12
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def _add_months():
    days = [date(2024, 1, 31), date(2023, 3, 31), date(2024, 12, 15), date(2023, 12, 31),
            date(2000, 2, 29), date(1900, 1, 29)]
    days += [date(1950, 1, 1) + timedelta(days=rng.randrange(60000)) for _ in range(1500)]
    for d in days:
        for n in [0, 1, -1, 11, 12, 13, -12, -13, 24, -25, rng.randint(-100, 100)]:
            want = ref_add_months(d, n)
            got = add_months(d, n)
            assert got == want and type(got) is date, f"add_months({d}, {n}) = {got!r}, expected {want}"


def _week_start():
    for _ in range(2000):
        d = date(1970, 1, 1) + timedelta(days=rng.randrange(50000))
        want = d
        while want.weekday() != 0:
            want -= timedelta(days=1)
        got = week_start(d)
        assert got == want, f"week_start({d}) = {got!r}, expected {want}"


def stamp():
    base = datetime(2000, 1, 1, tzinfo=timezone.utc) + timedelta(seconds=rng.randrange(10**9))
    minutes = rng.choice([0, 0, 60, -60, 330, -480, 345, 600, -210, 840, -720])
    local = base + timedelta(minutes=minutes)
    if minutes == 0 and rng.random() < 0.5:
        suffix = "Z"
    else:
        sign = "+" if minutes >= 0 else "-"
        suffix = f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    return local.strftime("%Y-%m-%dT%H:%M:%S") + suffix, base


def _to_utc():
    for _ in range(1500):
        text, want = stamp()
        got = to_utc(text)
        assert isinstance(got, datetime), f"to_utc({text!r}) returned {got!r}"
        assert got.utcoffset() == timedelta(0), f"to_utc({text!r}) = {got!r} is not in UTC"
        assert got == want, f"to_utc({text!r}) = {got.isoformat()}, expected {want.isoformat()}"


def _naive():
    for text in ["2024-03-10T01:30:00", "2024-03-10", "not a date", ""]:
        raises(ValueError, to_utc, text)


def _hours():
    for _ in range(1500):
        (a, ua), (b, ub) = stamp(), stamp()
        if rng.random() < 0.3:
            b, ub = a, ua
        want = (ub - ua).total_seconds() / 3600
        got = hours_between(a, b)
        assert abs(got - want) < 1e-9, f"hours_between({a!r}, {b!r}) = {got!r}, expected {want!r}"
    got = hours_between("2024-03-10T12:00:00+05:30", "2024-03-10T12:00:00-08:00")
    assert abs(got - 13.5) < 1e-9, f"expected 13.5 hours, got {got!r}"


case("days_in_month", _days_in_month)
case("add_months", _add_months)
case("week_start", _week_start)
case("to_utc", _to_utc)
case("to_utc rejects naive or malformed timestamps", _naive)
case("hours_between", _hours)

if failures:
    print(f"FAIL: {len(failures)} of {total} checks failed")
    for line in failures:
        print(f"  - {line}")
    sys.exit(1)
print(f"PASS: all {total} checks passed")
