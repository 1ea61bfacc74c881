"""Hidden check for fix_dependency_cache. Run from the working directory: python3 check.py"""

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
    from sheet import Sheet
except BaseException as exc:
    print(f"FAIL: cannot import Sheet from sheet.py ({type(exc).__name__}: {exc})")
    sys.exit(1)

failures = []
total = 0
CALLS = {}


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


def make_fn(name, weights, const):
    def fn(*values):
        CALLS[name] = CALLS.get(name, 0) + 1
        return const + sum(w * v for w, v in zip(weights, values))
    return fn


class Model:
    """Reference: set times from a logical clock; a formula is stale if anything it uses was set later."""

    def __init__(self):
        self.cells = {}  # name -> ("value", v) or ("formula", weights, const, deps)
        self.set_at = {}
        self.cached = {}  # name -> (value, clock at evaluation)
        self.clock = 0
        self.calls = {}

    def deps(self, name):
        cell = self.cells.get(name)
        return cell[3] if cell and cell[0] == "formula" else []

    def closure(self, name):
        out, stack = set(), [name]
        while stack:
            n = stack.pop()
            if n not in out:
                out.add(n)
                stack.extend(self.deps(n))
        return out

    def defined(self, name):
        return all(n in self.cells for n in self.closure(name))

    def set(self, name, cell):
        self.clock += 1
        self.cells[name] = cell
        self.set_at[name] = self.clock

    def creates_cycle(self, name, deps):
        return any(name in self.closure(d) for d in deps)

    def get(self, name):
        cell = self.cells[name]
        if cell[0] == "value":
            return cell[1]
        hit = self.cached.get(name)
        if hit is not None and all(self.set_at[n] <= hit[1] for n in self.closure(name)):
            return hit[0]
        _, weights, const, deps = cell
        value = const + sum(w * self.get(d) for w, d in zip(weights, deps))
        self.calls[name] = self.calls.get(name, 0) + 1
        self.cached[name] = (value, self.clock)
        return value


def _random_runs():
    rng = random.Random(21)
    for run in range(120):
        CALLS.clear()
        sheet, model = Sheet(), Model()
        names = [f"c{i}" for i in range(rng.randint(3, 9))]
        log = []
        for _ in range(120):
            name = rng.choice(names)
            r = rng.random()
            if r < 0.25:
                value = rng.randint(-9, 9)
                log.append(f"set_value({name}, {value})")
                sheet.set_value(name, value)
                model.set(name, ("value", value))
            elif r < 0.5:
                deps = rng.sample(names, rng.randint(0, min(3, len(names))))
                weights = [rng.randint(1, 3) for _ in deps]
                const = rng.randint(0, 5)
                log.append(f"set_formula({name}, {const}+{weights}.{deps})")
                if model.creates_cycle(name, deps):
                    raises(ValueError, sheet.set_formula, name, make_fn(name, weights, const), deps)
                else:
                    sheet.set_formula(name, make_fn(name, weights, const), deps)
                    model.set(name, ("formula", weights, const, deps))
            else:
                if not model.defined(name):
                    continue
                log.append(f"get({name})")
                want = model.get(name)
                got = sheet.get(name)
                where = f"run {run}: ...{' ; '.join(log[-8:])}"
                assert got == want, f"{where} -> {got!r}, expected {want!r}"
                assert CALLS == model.calls, (
                    f"{where}: formula calls so far {dict(sorted(CALLS.items()))}, "
                    f"expected {dict(sorted(model.calls.items()))}")


def _chain():
    CALLS.clear()
    sheet = Sheet()
    sheet.set_value("x", 1)
    sheet.set_formula("a", make_fn("a", [1], 0), ["x"])
    sheet.set_formula("b", make_fn("b", [2], 0), ["a"])
    sheet.set_formula("c", make_fn("c", [3], 0), ["b"])
    assert sheet.get("c") == 6
    sheet.set_value("x", 10)
    got = sheet.get("c")
    assert got == 60, f"after changing x, c = {got!r}, expected 60 (indirect dependency)"
    sheet.get("c")
    assert CALLS == {"a": 2, "b": 2, "c": 2}, f"calls {CALLS}"


def _cycles():
    sheet = Sheet()
    sheet.set_value("x", 1)
    sheet.set_formula("a", make_fn("a", [1], 0), ["x"])
    sheet.set_formula("b", make_fn("b", [1], 1), ["a"])
    raises(ValueError, sheet.set_formula, "a", make_fn("a", [1], 0), ["b"])
    raises(ValueError, sheet.set_formula, "x", make_fn("x", [1], 0), ["x"])
    assert sheet.get("b") == 2 and sheet.get("a") == 1, "a rejected formula changed the sheet"


def _missing():
    sheet = Sheet()
    sheet.set_formula("a", make_fn("a", [1], 0), ["later"])
    raises(KeyError, sheet.get, "a")
    raises(KeyError, sheet.get, "nope")
    sheet.set_value("later", 41)
    assert sheet.get("a") == 41, "a cell defined later should be used"


def _deep():
    sheet = Sheet()
    sheet.set_value("n0", 0)
    for i in range(1, 250):
        sheet.set_formula(f"n{i}", lambda v: v + 1, [f"n{i - 1}"])
    assert sheet.get("n249") == 249
    sheet.set_value("n0", 5)
    assert sheet.get("n249") == 254, "a long chain was not invalidated"


case("random edits and reads: values and formula calls", _random_runs)
case("indirect dependencies are invalidated", _chain)
case("cycles are rejected and leave the sheet unchanged", _cycles)
case("undefined cells", _missing)
case("long chains", _deep)

if failures:
    print(f"FAIL: {len(failures)} of {total} checks failed")
    for line in failures:
        print(f"  - {line}")
    sys.exit(1)
print(f"PASS: all {total} checks passed")
