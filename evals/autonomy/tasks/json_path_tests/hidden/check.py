"""Hidden check for json_path_tests. Run from the working directory: python3 check.py

Runs the tests shipped in test_jpath.py (copied here, so edits to that file
do not matter) and further tests of the documented behaviour.
"""

import copy
import os
import random
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
    from jpath import get_path, parse_path, set_path
except BaseException as exc:
    print(f"FAIL: cannot import from jpath.py ({type(exc).__name__}: {exc})")
    sys.exit(1)


def raises(exc_type, fn, *args, **kwargs):
    try:
        result = fn(*args, **kwargs)
    except exc_type:
        return
    except BaseException as exc:
        raise AssertionError(f"{fn.__name__}{args}: expected {exc_type.__name__}, got {type(exc).__name__}") from None
    raise AssertionError(f"{fn.__name__}{args}: expected {exc_type.__name__}, got {result!r}")


# ---- the visible tests from test_jpath.py ----

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


# ---- further hidden tests ----

rng = random.Random(2468)
SPECIAL = '.[]"\\'
KEYS = ["a", "b", "name", "x_1", "ü", "a.b", "", "x[0]", 'say "hi"', "back\\slash", "0", "-", " sp "]


def random_data(depth=0):
    r = rng.random()
    if depth >= 3 or r < 0.25:
        return rng.choice([1, "s", None, 2.5, True, "text", (1, 2)])
    if r < 0.6:
        return {k: random_data(depth + 1) for k in rng.sample(KEYS, rng.randint(0, 4))}
    return [random_data(depth + 1) for _ in range(rng.randint(0, 4))]


def render(steps):
    out = []
    for i, s in enumerate(steps):
        if isinstance(s, int):
            out.append(f"[{s}]")
        elif s and not any(c in SPECIAL for c in s) and rng.random() < 0.7:
            out.append(("." if i else "") + s)
        else:
            out.append('["' + s.replace("\\", "\\\\").replace('"', '\\"') + '"]')
    return "".join(out)


def random_existing_path(data):
    steps, cur = [], data
    while rng.random() < 0.8:
        if isinstance(cur, dict) and cur:
            k = rng.choice(sorted(cur))
        elif isinstance(cur, list) and cur:
            k = rng.randrange(-len(cur), len(cur))
        else:
            break
        steps.append(k)
        cur = cur[k]
    return steps, cur


def test_hidden_random_get():
    for _ in range(600):
        data = random_data()
        steps, want = random_existing_path(data)
        path = render(steps)
        assert parse_path(path) == steps, f"parse_path({path!r}) = {parse_path(path)!r}, expected {steps!r}"
        got = get_path(data, path)
        assert got is want, f"get_path(..., {path!r}) = {got!r}, expected {want!r}"


def test_hidden_missing_steps():
    data = {"s": "string", "t": (1, 2), "d": {0: "int key"}, "l": [1, 2, 3], "n": None}
    for path in ["s[0]", "t[0]", "d[0]", "l[3]", "l[-4]", "l.x", "n.x", "x", "l[0].y", 'd["0"]']:
        marker = object()
        assert get_path(data, path, default=marker) is marker, f"get_path(..., {path!r}) should give the default"
        raises(KeyError, get_path, data, path)
    assert get_path(data, "l[-3]") == 1 and get_path(data, "n", default=5) is None


def test_hidden_malformed():
    for bad in ["a..b", ".a", "a.", "a.[0]", "[]", "[1.5]", "[ 1]", "[+1]", "[0]x", "a[0", '["a', 'a"b',
                '["a\\q"]', "[-]", "a]", '["a"', '["a"]b', "a b[", "[01x]"]:
        raises(ValueError, parse_path, bad)
        raises(ValueError, get_path, {}, bad, default=1)
        raises(ValueError, set_path, {}, bad, 1)


def test_hidden_parse_cases():
    cases = {"": [], "a": ["a"], "[0]": [0], '[""]': [""], "a[-12]": ["a", -12], "[007]": [7],
             '["a\\"b"].c': ['a"b', "c"], '["\\\\"]': ["\\"], "ü.ß[1]": ["ü", "ß", 1], "a-b.c d": ["a-b", "c d"]}
    for path, want in cases.items():
        got = parse_path(path)
        assert got == want and [type(x) for x in got] == [type(x) for x in want], f"parse_path({path!r}) = {got!r}, expected {want!r}"


def ref_set(obj, steps, value):
    cur = obj
    for step, nxt in zip(steps, steps[1:]):
        if isinstance(step, str) and isinstance(cur, dict) and step not in cur:
            cur[step] = {} if isinstance(nxt, str) else []
        cur = cur[step]
    last = steps[-1]
    if isinstance(last, int) and last == len(cur):
        cur.append(value)
    else:
        cur[last] = value


def test_hidden_random_set():
    for _ in range(400):
        data = random_data()
        if not isinstance(data, (dict, list)):
            data = {"root": data}
        steps, _ = random_existing_path(data)
        if rng.random() < 0.5:
            steps = steps + [rng.choice(KEYS)] * rng.randint(0, 2)
        if not steps:
            raises(ValueError, set_path, data, "", 1)
            continue
        expected = copy.deepcopy(data)
        try:
            ref_set(expected, steps, "NEW")
        except (LookupError, TypeError):
            continue
        path = render(steps)
        set_path(data, path, "NEW")
        assert data == expected, f"set_path(..., {path!r}, 'NEW') gave {data!r}, expected {expected!r}"


def test_hidden_set_errors():
    data = {"l": [1, 2], "s": "str", "d": {}}
    raises(IndexError, set_path, data, "l[5]", 0)
    raises(IndexError, set_path, data, "l[-3]", 0)
    raises(TypeError, set_path, data, "s.x", 0)
    raises(TypeError, set_path, data, "d[0]", 0)
    raises(TypeError, set_path, data, "l.x", 0)
    raises(ValueError, set_path, data, "", 0)
    assert data == {"l": [1, 2], "s": "str", "d": {}}, f"failed calls changed the data: {data}"
    fresh = {}
    assert set_path(fresh, "a.b[0]", 1) is None
    set_path(fresh, 'a["c.d"].e', 2)
    assert fresh == {"a": {"b": [1], "c.d": {"e": 2}}}, fresh
    raises(IndexError, set_path, fresh, "x[0][0]", 3)


tests = [obj for name, obj in sorted(globals().items()) if name.startswith("test_")]
failed = []
for test in tests:
    try:
        test()
    except BaseException as exc:
        failed.append(f"{test.__name__}: {type(exc).__name__}: {exc}")
if failed:
    print(f"FAIL: {len(failed)} of {len(tests)} tests failed")
    for line in failed:
        print(f"  - {line[:600]}")
    sys.exit(1)
print(f"PASS: all {len(tests)} tests passed")
