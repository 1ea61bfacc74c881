"""Hidden check for fix_csv_report. Run from the working directory: python check.py

Writes its own CSV files to a temporary directory (the workspace's data.csv
is not used, so editing it does not matter).
"""

import atexit
import math
import os
import shutil
import signal
import sys
import tempfile

sys.path.insert(0, ".")


def _timeout(*_):
    print("FAIL: check timed out")
    os._exit(1)


if hasattr(signal, "SIGALRM"):
    signal.signal(signal.SIGALRM, _timeout)
    signal.alarm(60)

try:
    from report import summarize
except BaseException as exc:
    print(f"FAIL: cannot import summarize from report.py ({type(exc).__name__}: {exc})")
    sys.exit(1)

failures = []
total = 0
TMP = tempfile.mkdtemp(prefix="csv_check_")
atexit.register(shutil.rmtree, TMP, True)
_counter = 0


def write_csv(text, newline="\n"):
    global _counter
    _counter += 1
    path = os.path.join(TMP, f"case{_counter}.csv")
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(text.replace("\n", newline))
    return path


def case(name, fn):
    global total
    total += 1
    try:
        fn()
    except AssertionError as exc:
        failures.append(f"{name}: {exc}")
    except BaseException as exc:
        failures.append(f"{name}: unexpected {type(exc).__name__}: {exc}")


def totals_eq(actual, expected):
    assert isinstance(actual, dict), f"expected a dict, got {type(actual).__name__}"
    assert set(actual) == set(expected), (
        f"categories {sorted(map(repr, actual))} != expected {sorted(map(repr, expected))}"
    )
    for key, want in expected.items():
        got = actual[key]
        assert isinstance(got, float), f"{key!r}: value {got!r} is not a float"
        assert math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-9), (
            f"{key!r}: expected {want!r}, got {got!r}"
        )


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


SAMPLE = """date,category,description,amount
2024-01-03,groceries,Weekly shop,54.20
2024-01-04, transport ,Bus pass,30.00
2024-01-05,dining,"Lunch, team offsite",42.50
2024-01-07,groceries ,"Milk, eggs, bread",12.80
2024-01-09,dining,Coffee,3.75
2024-01-12,utilities,"Electricity, January",61.40

2024-01-15,transport,Taxi,18.00
"""
SAMPLE_TOTALS = {"groceries": 67.0, "transport": 48.0, "dining": 46.25, "utilities": 61.4}

case("sample data", lambda: totals_eq(summarize(write_csv(SAMPLE)), SAMPLE_TOTALS))
case(
    "sample data with CRLF line endings",
    lambda: totals_eq(summarize(write_csv(SAMPLE, newline="\r\n")), SAMPLE_TOTALS),
)
case(
    "header only",
    lambda: totals_eq(summarize(write_csv("date,category,description,amount\n")), {}),
)
case("empty file", lambda: totals_eq(summarize(write_csv("")), {}))
case(
    "columns in another order, extra columns",
    lambda: totals_eq(
        summarize(write_csv("amount,note,category,id\n5,a,x,1\n2.5,b,y,2\n1,c,x,3\n")),
        {"x": 6.0, "y": 2.5},
    ),
)
case(
    "quoted fields with commas and doubled quotes",
    lambda: totals_eq(
        summarize(
            write_csv(
                "category,description,amount\n"
                'books,"He said ""hi, there"", then left",10\n'
                '"books, magazines","a, b, c","7.25"\n'
                'books,plain,"2"\n'
            )
        ),
        {"books": 12.0, "books, magazines": 7.25},
    ),
)
case(
    "quoted field containing a newline",
    lambda: totals_eq(
        summarize(write_csv('category,note,amount\nrent,"line one\nline two",800\nrent,x,50\n')),
        {"rent": 850.0},
    ),
)
case(
    "whitespace around categories is removed",
    lambda: totals_eq(
        summarize(write_csv('category,amount\n  food,1\nfood  ,2\n\tfood\t,3\n" food ",4\n')),
        {"food": 10.0},
    ),
)
case(
    "categories are case-sensitive",
    lambda: totals_eq(
        summarize(write_csv("category,amount\nFood,1\nfood,2\nFOOD,4\n")),
        {"Food": 1.0, "food": 2.0, "FOOD": 4.0},
    ),
)
case(
    "blank lines are skipped",
    lambda: totals_eq(
        summarize(write_csv("category,amount\n\nfun,1.5\n\n\nfun,2\n\n")),
        {"fun": 3.5},
    ),
)
case(
    "negative amounts and whitespace around amounts",
    lambda: totals_eq(
        summarize(write_csv("category,amount\nshop,20\nshop,-5.5\nshop, 0.5 \n")),
        {"shop": 15.0},
    ),
)
case(
    "non-ASCII categories",
    lambda: totals_eq(
        summarize(write_csv("category,amount\ncafé,3\nCafé,1\ncafé ,2\n")),
        {"café": 5.0, "Café": 1.0},
    ),
)
case(
    "invalid amount raises ValueError",
    lambda: raises(ValueError, summarize, write_csv("category,amount\nfood,12\nfood,abc\n")),
)
case(
    "empty amount raises ValueError",
    lambda: raises(ValueError, summarize, write_csv("category,amount,note\nfood,,x\n")),
)
case(
    "missing amount column raises ValueError",
    lambda: raises(ValueError, summarize, write_csv("category,price\nfood,12\n")),
)
case(
    "missing category column raises ValueError",
    lambda: raises(ValueError, summarize, write_csv("kind,amount\nfood,12\n")),
)

if failures:
    print(f"FAIL: {len(failures)} of {total} checks failed")
    for line in failures:
        print(f"  - {line}")
    sys.exit(1)
print(f"PASS: all {total} checks passed")
