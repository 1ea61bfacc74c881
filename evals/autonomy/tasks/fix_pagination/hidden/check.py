"""Hidden check for fix_pagination. Run from the working directory: python check.py"""

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
    from pagination import paginate
except BaseException as exc:
    print(f"FAIL: cannot import paginate from pagination.py ({type(exc).__name__}: {exc})")
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


def eq(actual, expected):
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


TEN = list(range(10))

case("first page", lambda: eq(paginate(TEN, 1, 3), [0, 1, 2]))
case("middle page", lambda: eq(paginate(TEN, 2, 3), [3, 4, 5]))
case("third page", lambda: eq(paginate(TEN, 3, 3), [6, 7, 8]))
case("last partial page", lambda: eq(paginate(TEN, 4, 3), [9]))
case("page past the end", lambda: eq(paginate(TEN, 5, 3), []))
case("page zero", lambda: eq(paginate(TEN, 0, 3), []))
case("negative page", lambda: eq(paginate(TEN, -1, 3), []))
case("exact multiple, last page", lambda: eq(paginate(list(range(9)), 3, 3), [6, 7, 8]))
case("exact multiple, one past", lambda: eq(paginate(list(range(9)), 4, 3), []))
case("per_page larger than items", lambda: eq(paginate([1, 2, 3], 1, 10), [1, 2, 3]))
case("per_page larger than items, page 2", lambda: eq(paginate([1, 2, 3], 2, 10), []))
case("per_page one", lambda: eq(paginate(["a", "b", "c"], 3, 1), ["c"]))
case("empty items", lambda: eq(paginate([], 1, 5), []))
case("tuple input gives list", lambda: eq(paginate((5, 6, 7, 8, 9), 3, 2), [9]))
case("string input gives list", lambda: eq(paginate("abcde", 2, 2), ["c", "d"]))
case("range input", lambda: eq(paginate(range(100), 10, 10), list(range(90, 100))))
case("per_page zero raises", lambda: raises(ValueError, paginate, TEN, 1, 0))
case("per_page negative raises", lambda: raises(ValueError, paginate, TEN, 1, -2))
case("per_page zero raises on empty items", lambda: raises(ValueError, paginate, [], 1, 0))


def _all_pages_cover_items():
    for n in range(0, 23):
        for per_page in range(1, 8):
            items = list(range(n))
            pages = []
            page = 1
            while True:
                chunk = paginate(items, page, per_page)
                if not chunk:
                    break
                assert len(chunk) <= per_page, f"n={n} per_page={per_page} page {page} too long"
                pages.extend(chunk)
                page += 1
                assert page <= n + 2, f"n={n} per_page={per_page}: pages never end"
            assert pages == items, f"n={n} per_page={per_page}: pages joined give {pages!r}"


case("pages cover every item exactly once", _all_pages_cover_items)


def _input_not_modified():
    items = [3, 1, 2]
    paginate(items, 1, 2)
    eq(items, [3, 1, 2])


case("input not modified", _input_not_modified)

if failures:
    print(f"FAIL: {len(failures)} of {total} checks failed")
    for line in failures:
        print(f"  - {line}")
    sys.exit(1)
print(f"PASS: all {total} checks passed")
