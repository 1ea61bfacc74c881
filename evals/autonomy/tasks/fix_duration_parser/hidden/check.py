"""Hidden check for fix_duration_parser. Run from the working directory: python check.py"""

import os
import signal
import sys

sys.path.insert(0, ".")


def _timeout(*_):
    print("FAIL: check timed out")
    os._exit(1)


if hasattr(signal, "SIGALRM"):
    signal.signal(signal.SIGALRM, _timeout)
    signal.alarm(60)

try:
    from durations import parse_duration
except BaseException as exc:
    print(f"FAIL: cannot import parse_duration from durations.py ({type(exc).__name__}: {exc})")
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


def eq_int(actual, expected):
    assert type(actual) is int, f"expected int {expected!r}, got {type(actual).__name__} {actual!r}"
    assert actual == expected, f"expected {expected!r}, got {actual!r}"


def raises(exc_type, fn, *args, **kwargs):
    try:
        result = fn(*args, **kwargs)
    except exc_type:
        return
    except BaseException as exc:
        raise AssertionError(
            f"expected {exc_type.__name__}, got {type(exc).__name__}: {exc}"
        ) from None
    raise AssertionError(f"expected {exc_type.__name__}, got {result!r}")


VALID = [
    ("1h30m", 5400),
    ("45s", 45),
    ("2h", 7200),
    ("1h2m3s", 3723),
    ("90m", 5400),
    ("1m", 60),
    ("10m5s", 605),
    ("1h5s", 3605),
    ("0s", 0),
    ("0h0m0s", 0),
    ("100h", 360000),
    ("007m", 420),
    (" 2m ", 120),
    ("\t3h\n", 10800),
    ("59m59s", 3599),
]
for text, expected in VALID:
    case(f"parse_duration({text!r})", lambda t=text, e=expected: eq_int(parse_duration(t), e))

INVALID = [
    "",
    "   ",
    "abc",
    "5",
    "h",
    "5x",
    "1h1h",
    "1m2m",
    "30m1h",
    "5s1m",
    "-5m",
    "-1h",
    "1h-5m",
    "+5m",
    "1.5h",
    "1 h",
    "1h 30m",
    "1H",
    "1h30",
    "1h30mx",
    "x1h",
    "1d",
]
for text in INVALID:
    case(f"parse_duration({text!r}) raises", lambda t=text: raises(ValueError, parse_duration, t))

if failures:
    print(f"FAIL: {len(failures)} of {total} checks failed")
    for line in failures:
        print(f"  - {line}")
    sys.exit(1)
print(f"PASS: all {total} checks passed")
