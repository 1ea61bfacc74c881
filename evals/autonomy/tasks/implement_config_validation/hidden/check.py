"""Hidden check for implement_config_validation. Run from the working directory: python3 check.py"""

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
    from validate import validate
except BaseException as exc:
    print(f"FAIL: cannot import validate from validate.py ({type(exc).__name__}: {exc})")
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


# ---- reference implementation of the documented behaviour ----

def type_ok(v, kind):
    if kind == "bool":
        return type(v) is bool
    if type(v) is bool:
        return False
    return isinstance(v, {"int": int, "float": (int, float), "str": str, "list": list, "dict": dict}[kind])


def ref_check(v, s, path, errs):
    kind = s["type"]
    if not type_ok(v, kind):
        errs.append(f"{path}: expected {kind}")
        return None
    if kind == "float":
        v = float(v)
    for key, bad, word in (("min", lambda a, b: a < b, ">="), ("max", lambda a, b: a > b, "<=")):
        if key in s and bad(v, s[key]):
            errs.append(f"{path}: must be {word} {s[key]!r}")
            return None
    if "choices" in s and v not in s["choices"]:
        errs.append(f"{path}: must be one of {s['choices']!r}")
        return None
    if kind == "list" and "items" in s:
        return [ref_check(x, s["items"], f"{path}[{i}]", errs) for i, x in enumerate(v)]
    if kind == "dict":
        out = {}
        fields = s.get("fields", {})
        for k, sub in fields.items():
            if k in v:
                out[k] = ref_check(v[k], sub, f"{path}.{k}", errs)
            elif "default" in sub:
                out[k] = copy.deepcopy(sub["default"])
            elif sub.get("required", True):
                errs.append(f"{path}.{k}: missing required field")
        for k in v:
            if k not in fields:
                if s.get("extra"):
                    out[k] = copy.deepcopy(v[k])
                else:
                    errs.append(f"{path}.{k}: unknown field")
        return out
    return copy.deepcopy(v)


def ref_validate(config, schema):
    errs = []
    out = ref_check(config, schema, "$", errs)
    return (None, sorted(errs)) if errs else (out, [])


def strict_eq(a, b):
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(strict_eq(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(strict_eq(x, y) for x, y in zip(a, b))
    return a == b


def compare(config, schema, label):
    original = copy.deepcopy(config)
    want = ref_validate(copy.deepcopy(config), schema)
    got = validate(config, schema)
    assert isinstance(got, tuple) and len(got) == 2, f"{label}: validate must return a pair, got {got!r}"
    assert strict_eq(config, original), f"{label}: the input config was modified"
    g_norm, g_errs = got
    assert list(g_errs) == want[1], f"{label}: errors\n      {g_errs}\n    expected\n      {want[1]}"
    assert strict_eq(g_norm, want[0]), f"{label}: normalized {g_norm!r}, expected {want[0]!r}"
    if want[0] is not None:
        inputs = {id(x) for x in _walk(config) if isinstance(x, (list, dict))}
        shared = [x for x in _walk(g_norm) if isinstance(x, (list, dict)) and id(x) in inputs]
        assert not shared, f"{label}: the normalized config shares {shared[0]!r} with the input"


def _walk(x):
    yield x
    if isinstance(x, dict):
        for v in x.values():
            yield from _walk(v)
    elif isinstance(x, list):
        for v in x:
            yield from _walk(v)


TRAIN = {"type": "dict", "fields": {
    "name": {"type": "str"},
    "seed": {"type": "int", "default": 0},
    "epochs": {"type": "int", "min": 1, "max": 1000},
    "lr": {"type": "float", "min": 1e-06, "max": 1.0},
    "optimizer": {"type": "str", "choices": ["adam", "sgd", "adamw"], "default": "adam"},
    "amp": {"type": "bool", "required": False},
    "layers": {"type": "list", "items": {"type": "dict", "fields": {
        "units": {"type": "int", "min": 1},
        "activation": {"type": "str", "choices": ["relu", "tanh"], "default": "relu"},
        "dropout": {"type": "float", "min": 0.0, "max": 0.9, "default": 0.0}}}},
    "tags": {"type": "list", "items": {"type": "str"}, "default": []},
    "extra": {"type": "dict", "extra": True, "required": False},
}}

FIXED = [
    ({"name": "run", "epochs": 10, "lr": 0.01, "layers": [{"units": 8}]}, "minimal valid"),
    ({"name": "run", "epochs": 10, "lr": 1, "layers": []}, "int for float"),
    ({"name": "run", "epochs": 10.0, "lr": 0.01, "layers": []}, "float for int"),
    ({"name": "run", "epochs": True, "lr": 0.01, "layers": []}, "bool for int"),
    ({"name": "run", "epochs": 10, "lr": True, "layers": []}, "bool for float"),
    ({"name": "run", "epochs": 10, "lr": 0.01, "layers": [], "amp": 1}, "int for bool"),
    ({"name": "run", "epochs": 0, "lr": 2.0, "layers": [{"units": 0, "dropout": 0.95, "activation": "gelu"}]}, "bounds and choices"),
    ({"epochs": 10, "layers": [{}, {"units": 3, "size": 2}], "lr": 0.5, "colour": "red"}, "missing and unknown"),
    ({"name": "run", "epochs": 10, "lr": 0.01, "layers": [{"units": 4}], "extra": {"anything": [1, {"a": 2}]}}, "extra allowed"),
    ({"name": "run", "epochs": 5, "lr": 1e-07, "layers": [{"units": 2}], "tags": ["a", 3, None]}, "list items"),
    ({"name": "run", "epochs": 10, "lr": 0.01, "layers": {"units": 3}}, "dict for list"),
    ([], "root of the wrong type"),
    ({"name": "run", "epochs": 10, "lr": 0.01, "layers": [], "optimizer": "SGD"}, "choices are exact"),
]
for cfg, label in FIXED:
    case(label, lambda c=cfg, lab=label: compare(c, TRAIN, lab))


def _known_messages():
    norm, errs = validate({"name": "x", "epochs": 0, "lr": 0.5, "layers": [{"units": 2, "activation": "gelu"}]}, TRAIN)
    assert norm is None, "normalized must be None when there are errors"
    assert errs == ["$.epochs: must be >= 1", "$.layers[0].activation: must be one of ['relu', 'tanh']"], errs
    norm, errs = validate({"name": "x", "epochs": 3, "lr": 1, "layers": [{"units": 2}]}, TRAIN)
    assert errs == [] and norm == {"name": "x", "seed": 0, "epochs": 3, "lr": 1.0, "optimizer": "adam",
                                   "layers": [{"units": 2, "activation": "relu", "dropout": 0.0}], "tags": []}, norm
    assert type(norm["lr"]) is float, "ints must become floats for float fields"


def _defaults_are_copies():
    a, _ = validate({"name": "x", "epochs": 3, "lr": 0.1, "layers": []}, TRAIN)
    a["tags"].append("changed")
    b, _ = validate({"name": "x", "epochs": 3, "lr": 0.1, "layers": []}, TRAIN)
    assert b["tags"] == [] and TRAIN["fields"]["tags"]["default"] == [], "defaults must be deep-copied"


case("exact messages and normalized result", _known_messages)
case("defaults are copied", _defaults_are_copies)

rng = random.Random(4711)
KINDS = ["int", "float", "str", "bool", "list", "dict"]


def random_schema(depth=0):
    kind = rng.choice(KINDS if depth < 3 else KINDS[:4])
    s = {"type": kind}
    if kind in ("int", "float") and rng.random() < 0.5:
        s["min"] = rng.choice([0, 1, -5, 0.5]) if kind == "float" else rng.choice([0, 1, -5])
        if rng.random() < 0.6:
            s["max"] = s["min"] + rng.choice([1, 10, 100])
    if kind in ("str", "int") and rng.random() < 0.3:
        s["choices"] = ["a", "b", "c"] if kind == "str" else [1, 2, 3]
    if kind == "list":
        s["items"] = random_schema(depth + 1)
    if kind == "dict":
        s["fields"] = {}
        for name in rng.sample(["alpha", "beta", "gamma", "delta", "eps"], rng.randint(0, 4)):
            sub = random_schema(depth + 1)
            r = rng.random()
            if r < 0.2:
                sub["required"] = False
            elif r < 0.35:
                sub["default"] = rng.choice([0, "d", [1, 2], {"k": [3]}, None, 2.5])
            s["fields"][name] = sub
        if rng.random() < 0.3:
            s["extra"] = True
    return s


def random_value(s, corrupt):
    bad = rng.random() < corrupt
    kind = s["type"]
    if bad:
        return rng.choice([1, 2.5, True, "x", [], {}, None, -100, 1000])
    if kind == "int":
        lo, hi = s.get("min", -3), s.get("max", s.get("min", -3) + 20)
        return rng.choice(s["choices"]) if "choices" in s and rng.random() < 0.8 else rng.randint(int(lo), int(hi))
    if kind == "float":
        lo = s.get("min", -3)
        v = rng.uniform(lo, s.get("max", lo + 20))
        return int(v) if rng.random() < 0.3 and int(v) >= lo else v
    if kind == "str":
        return rng.choice(s["choices"]) if "choices" in s and rng.random() < 0.8 else rng.choice(["a", "zz", ""])
    if kind == "bool":
        return rng.random() < 0.5
    if kind == "list":
        return [random_value(s["items"], corrupt) for _ in range(rng.randint(0, 3))]
    out = {}
    for name, sub in s.get("fields", {}).items():
        if rng.random() < 0.85 or not corrupt:
            out[name] = random_value(sub, corrupt)
    if rng.random() < corrupt:
        out[rng.choice(["zeta", "alpha2", "Alpha"])] = [1, {"x": 2}]
    return out


def _random():
    for trial in range(400):
        schema = random_schema()
        corrupt = rng.choice([0.0, 0.0, 0.05, 0.2])
        config = random_value(schema, corrupt)
        compare(config, schema, f"random trial {trial} (schema {schema!r}, config {config!r})")


case("random schemas and configs", _random)

if failures:
    print(f"FAIL: {len(failures)} of {total} checks failed")
    for line in failures:
        print(f"  - {line[:800]}")
    sys.exit(1)
print(f"PASS: all {total} checks passed")
