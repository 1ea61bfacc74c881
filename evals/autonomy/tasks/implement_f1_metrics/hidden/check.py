"""Hidden check for implement_f1_metrics. Run from the working directory: python3 check.py"""

import math
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
    from metrics import confusion_matrix, f1_score, precision_recall_f1
except BaseException as exc:
    print(f"FAIL: cannot import from metrics.py ({type(exc).__name__}: {exc})")
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


def raises(exc_type, fn, *args, **kwargs):
    try:
        result = fn(*args, **kwargs)
    except exc_type:
        return
    except BaseException as exc:
        raise AssertionError(f"expected {exc_type.__name__}, got {type(exc).__name__}") from None
    raise AssertionError(f"expected {exc_type.__name__}, got {result!r}")


def div(a, b):
    return a / b if b else 0.0


def ref(y_true, y_pred, labels):
    stats = {}
    for lab in labels:
        tp = sum(t == lab and p == lab for t, p in zip(y_true, y_pred))
        fp = sum(t != lab and p == lab for t, p in zip(y_true, y_pred))
        fn = sum(t == lab and p != lab for t, p in zip(y_true, y_pred))
        stats[lab] = (tp, fp, fn)
    return stats


def ref_f1(y_true, y_pred, average, labels):
    st = ref(y_true, y_pred, labels)
    f1 = {lab: div(2 * tp, 2 * tp + fp + fn) for lab, (tp, fp, fn) in st.items()}
    if average == "macro":
        return sum(f1.values()) / len(labels)
    if average == "weighted":
        sup = {lab: tp + fn for lab, (tp, fp, fn) in st.items()}
        return div(sum(f1[lab] * sup[lab] for lab in labels), sum(sup.values()))
    tp = sum(s[0] for s in st.values())
    fp = sum(s[1] for s in st.values())
    fn = sum(s[2] for s in st.values())
    return div(2 * tp, 2 * tp + fp + fn)


rng = random.Random(1618)


def data():
    classes = rng.choice([[0, 1], [0, 1, 2], ["cat", "dog", "emu", "yak"], [True, False], list(range(7))])
    n = rng.randint(1, 60)
    y_true = [rng.choice(classes[:max(1, len(classes) - rng.randint(0, 1))]) for _ in range(n)]
    y_pred = [t if rng.random() < 0.6 else rng.choice(classes) for t in y_true]
    return y_true, y_pred, classes


def close(a, b):
    return isinstance(a, float) and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def _confusion():
    for _ in range(300):
        y_true, y_pred, classes = data()
        labels = None if rng.random() < 0.5 else rng.sample(classes, rng.randint(1, len(classes)))
        labs = sorted(set(y_true) | set(y_pred)) if labels is None else labels
        want = [[sum(t == a and p == b for t, p in zip(y_true, y_pred)) for b in labs] for a in labs]
        got = confusion_matrix(y_true, y_pred, labels=labels)
        assert got == want and all(type(x) is int for row in got for x in row), (
            f"confusion_matrix({y_true[:8]}..., {y_pred[:8]}..., labels={labels}) = {got}, expected {want}")


def _prf():
    for _ in range(300):
        y_true, y_pred, classes = data()
        pos = rng.choice(classes)
        tp, fp, fn = ref(y_true, y_pred, [pos])[pos]
        want = (div(tp, tp + fp), div(tp, tp + fn), div(2 * tp, 2 * tp + fp + fn))
        got = precision_recall_f1(y_true, y_pred, pos)
        assert len(got) == 3 and all(close(g, w) for g, w in zip(got, want)), (
            f"precision_recall_f1({y_true[:8]}..., {y_pred[:8]}..., {pos!r}) = {got}, expected {want}")


def _f1():
    for _ in range(400):
        y_true, y_pred, classes = data()
        average = rng.choice(["macro", "micro", "weighted"])
        labels = None if rng.random() < 0.6 else rng.sample(classes, rng.randint(1, len(classes)))
        labs = sorted(set(y_true) | set(y_pred)) if labels is None else labels
        want = ref_f1(y_true, y_pred, average, labs)
        got = f1_score(y_true, y_pred, average=average, labels=labels)
        assert close(got, want), (f"f1_score({y_true[:8]}..., {y_pred[:8]}..., average={average!r}, "
                                  f"labels={labels}) = {got!r}, expected {want!r}")


def _known():
    y_true = [0, 0, 1, 1, 2, 2]
    y_pred = [0, 1, 1, 1, 0, 2]
    assert confusion_matrix(y_true, y_pred) == [[1, 1, 0], [0, 2, 0], [1, 0, 1]]
    assert close(f1_score(y_true, y_pred, "micro"), 4 / 6)
    assert close(f1_score(y_true, y_pred), (0.5 + 0.8 + 2 / 3) / 3)
    assert precision_recall_f1([0, 0], [0, 0], 1) == (0.0, 0.0, 0.0), "zero division gives 0.0"
    assert confusion_matrix(["b", "a"], ["a", "c"]) == [[0, 0, 1], [1, 0, 0], [0, 0, 0]], "default label order"


case("confusion_matrix", _confusion)
case("precision_recall_f1", _prf)
case("f1_score averages", _f1)
case("known values", _known)
case("length mismatch raises", lambda: raises(ValueError, f1_score, [1, 0], [1]))
case("empty input raises", lambda: raises(ValueError, confusion_matrix, [], []))
case("empty input raises (prf)", lambda: raises(ValueError, precision_recall_f1, [], [], 1))
case("unknown average raises", lambda: raises(ValueError, f1_score, [1, 0], [1, 1], average="samples"))
case("empty labels raise", lambda: raises(ValueError, f1_score, [1, 0], [1, 1], labels=[]))

if failures:
    print(f"FAIL: {len(failures)} of {total} checks failed")
    for line in failures:
        print(f"  - {line}")
    sys.exit(1)
print(f"PASS: all {total} checks passed")
