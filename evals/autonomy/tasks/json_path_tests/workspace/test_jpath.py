"""Tests for jpath.py. Run with: python3 test_jpath.py"""

import sys

from jpath import get_path, parse_path, set_path


def test_parse_simple():
    assert parse_path("a.b.c") == ["a", "b", "c"]


def test_parse_indices():
    assert parse_path("items[0].name") == ["items", 0, "name"]
    assert parse_path("[2][-1]") == [2, -1]


def test_parse_quoted_key_with_dot():
    assert parse_path("config[\"model.name\"]") == ["config", "model.name"]


def test_get():
    data = {"a": {"b": [10, 20, {"c": "deep"}]}}
    assert get_path(data, "a.b[2].c") == "deep"
    assert get_path(data, "a.b[-3]") == 10
    assert get_path(data, "") is data


def test_get_default():
    data = {"a": [1, 2]}
    assert get_path(data, "a[5]", default="none") == "none"
    assert get_path(data, "x.y", default=0) == 0


def test_get_missing_raises_key_error():
    try:
        get_path({"a": [1]}, "a[3]")
    except KeyError:
        pass
    else:
        raise AssertionError("a missing index should raise KeyError")


def test_set_creates_containers():
    data = {}
    set_path(data, "model.layers[0]", 64)
    assert data == {"model": {"layers": [64]}}


def test_set_appends_and_replaces():
    data = {"xs": [1, 2]}
    set_path(data, "xs[2]", 3)
    set_path(data, "xs[-1]", 30)
    assert data == {"xs": [1, 2, 30]}


def test_malformed_paths():
    for bad in ["a..b", "a[", "[x]"]:
        try:
            parse_path(bad)
        except ValueError:
            continue
        raise AssertionError(f"{bad!r} should raise ValueError")


if __name__ == "__main__":
    tests = [obj for name, obj in sorted(globals().items()) if name.startswith("test_")]
    failed = 0
    for test in tests:
        try:
            test()
        except Exception as exc:
            failed += 1
            print(f"FAIL {test.__name__}: {type(exc).__name__}: {exc}")
        else:
            print(f"ok   {test.__name__}")
    print(f"{len(tests) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
