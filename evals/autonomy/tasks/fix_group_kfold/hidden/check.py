"""Hidden check for fix_group_kfold. Run from the working directory: python3 check.py"""

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
    from splits import group_kfold
except BaseException as exc:
    print(f"FAIL: cannot import group_kfold from splits.py ({type(exc).__name__}: {exc})")
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


rng = random.Random(8)


def layout():
    n_groups = rng.randint(2, 30)
    kinds = rng.choice(["int", "str", "mixed"])
    names = []
    for g in range(n_groups):
        if kinds == "int" or (kinds == "mixed" and g % 3 == 0):
            names.append(g * 7 % 101)
        elif kinds == "str" or g % 3 == 1:
            names.append(f"patient-{g}")
        else:
            names.append(("site", g))
    groups = [rng.choice(names) for _ in range(rng.randint(n_groups, 120))]
    groups += names  # every group appears at least once
    rng.shuffle(groups)
    return groups


def check_folds(groups, k, folds):
    where = f"groups={groups[:12]}... (n={len(groups)}) k={k}"
    assert isinstance(folds, list) and len(folds) == k, f"{where}: expected a list of {k} folds"
    seen = []
    n_distinct = []
    everything = list(range(len(groups)))
    for f, pair in enumerate(folds):
        train, test = pair
        assert list(test) == sorted(test) and list(train) == sorted(train), f"{where}: fold {f} not sorted"
        assert all(type(i) is int for i in list(train) + list(test)), f"{where}: indices must be ints"
        assert sorted(list(train) + list(test)) == everything, f"{where}: fold {f} train+test != all indices"
        test_groups = {groups[i] for i in test}
        leaked = test_groups & {groups[i] for i in train}
        assert not leaked, f"{where}: fold {f} leaks groups {sorted(map(repr, leaked))[:3]}"
        seen.extend(test)
        n_distinct.append(len(test_groups))
    assert sorted(seen) == everything, f"{where}: test folds do not cover every index exactly once"
    assert max(n_distinct) - min(n_distinct) <= 1, f"{where}: groups per test fold {n_distinct} are unbalanced"


def _properties():
    for _ in range(150):
        groups = layout()
        distinct = len(set(groups))
        k = rng.randint(2, min(distinct, 10))
        check_folds(groups, k, group_kfold(groups, k, seed=rng.randint(0, 10**6)))


def _deterministic():
    for _ in range(30):
        groups = layout()
        k = min(3, len(set(groups)))
        random.seed(1)
        first = group_kfold(list(groups), k, 123)
        random.seed(2)
        random.random()
        second = group_kfold(list(groups), k, 123)
        assert first == second, "the same groups and seed gave different folds"


def _seed_matters():
    groups = [g for g in range(20) for _ in range(3)]
    results = {repr(group_kfold(groups, 4, seed)) for seed in range(8)}
    assert len(results) >= 4, f"8 seeds gave only {len(results)} different fold assignments"


def _errors():
    raises(ValueError, group_kfold, ["a", "a", "b"], 3)
    raises(ValueError, group_kfold, ["a", "b", "c"], 1)
    raises(ValueError, group_kfold, [1, 2, 3, 4], 0)
    check_folds(["a", "b"], 2, group_kfold(["a", "b"], 2))


case("folds have the documented properties", _properties)
case("same seed gives the same folds", _deterministic)
case("different seeds give different folds", _seed_matters)
case("bad k raises ValueError", _errors)

if failures:
    print(f"FAIL: {len(failures)} of {total} checks failed")
    for line in failures:
        print(f"  - {line}")
    sys.exit(1)
print(f"PASS: all {total} checks passed")
