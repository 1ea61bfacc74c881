"""Hidden check for implement_sampling. Run from the working directory: python3 check.py"""

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
    import numpy as np

    from sampling import filter_probs, sample
except BaseException as exc:
    print(f"FAIL: cannot import from sampling.py ({type(exc).__name__}: {exc})")
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


def ref_probs(logits, temperature=1.0, top_k=None, top_p=None):
    scaled = [x / temperature for x in logits]
    m = max(scaled)
    exps = [math.exp(x - m) for x in scaled]
    s = math.fsum(exps)
    probs = [e / s for e in exps]

    def keep_only(keep):
        kept = [p if i in keep else 0.0 for i, p in enumerate(probs)]
        total_kept = math.fsum(kept)
        return [p / total_kept for p in kept]

    order = lambda ps: sorted(range(len(ps)), key=lambda i: (-ps[i], i))  # noqa: E731
    if top_k is not None:
        probs = keep_only(set(order(probs)[:top_k]))
    if top_p is not None:
        keep, cum = set(), 0.0
        for i in order(probs):
            keep.add(i)
            cum += probs[i]
            if cum >= top_p - 1e-9:
                break
        probs = keep_only(keep)
    return probs


def ref_sample(probs, u):
    cum = 0.0
    for i, p in enumerate(probs):
        cum += p
        if u < cum:
            return i
    return max(i for i, p in enumerate(probs) if p > 0)


rng = random.Random(2718)


def random_setting():
    n = rng.randint(1, 30)
    scale = rng.choice([0.1, 1.0, 5.0, 1e4])
    logits = [rng.gauss(0, scale) for _ in range(n)]
    if rng.random() < 0.3:
        logits = [round(x) for x in logits]  # ties
    if rng.random() < 0.2 and n > 1:
        logits[rng.randrange(n)] = -math.inf
    temperature = rng.choice([1.0, 0.5, 2.0, 0.1, 1.7])
    top_k = rng.choice([None, None, 1, 2, 5, 50])
    top_p = rng.choice([None, None, 0.5, 0.9, 1.0, 0.1, 0.75])
    return logits, temperature, top_k, top_p


def _probs():
    for _ in range(600):
        logits, t, k, p = random_setting()
        arg = np.array(logits) if rng.random() < 0.5 else list(logits)
        got = filter_probs(arg, temperature=t, top_k=k, top_p=p)
        want = ref_probs(logits, t, k, p)
        where = f"filter_probs({[round(x, 3) for x in logits]}, temperature={t}, top_k={k}, top_p={p})"
        assert isinstance(got, np.ndarray) and got.dtype == np.float64, f"{where}: not a float64 array"
        assert got.shape == (len(logits),), f"{where}: shape {got.shape}"
        assert np.allclose(got, want, rtol=1e-7, atol=1e-12), f"{where} = {np.round(got, 4).tolist()}, expected {[round(x, 4) for x in want]}"
        assert (got > 0).tolist() == [w > 0 for w in want], f"{where}: wrong set of kept tokens"


def _exact_cases():
    lg = [math.log(x) for x in (0.25, 0.5, 0.25)]
    assert np.allclose(filter_probs(lg, top_p=0.75), [1 / 3, 2 / 3, 0.0]), "top_p=0.75 with a tie"
    assert np.allclose(filter_probs(lg, top_k=2), [1 / 3, 2 / 3, 0.0]), "top_k=2 tie goes to lower index"
    assert np.allclose(filter_probs(lg, top_p=0.5), [0.0, 1.0, 0.0]), "top_p=0.5"
    assert np.allclose(filter_probs([1000.0, 1000.0, -1000.0]), [0.5, 0.5, 0.0]), "large logits"
    assert np.allclose(filter_probs([0.0, 1.0], temperature=1e-3), [0.0, 1.0]), "tiny temperature"
    assert np.allclose(filter_probs([2.0, 1.0, 0.0], top_k=2, top_p=0.6), [1.0, 0.0, 0.0]), "top_k then top_p"


def _sampling():
    for trial in range(300):
        logits, t, k, p = random_setting()
        seed = rng.randint(0, 10**9)
        mine, theirs = random.Random(seed), random.Random(seed)
        probs = ref_probs(logits, t, k, p)
        for _ in range(20):
            got = sample(logits, theirs, temperature=t, top_k=k, top_p=p)
            want = ref_sample(probs, mine.random())
            assert type(got) is int, f"sample returned {type(got).__name__}, not int"
            assert got == want, f"trial {trial}: sample(...) = {got}, expected {want} (probs {np.round(probs, 3).tolist()})"
            assert theirs.getstate() == mine.getstate(), "sample must call rng.random() exactly once"


def _frequencies():
    counts = [0, 0, 0, 0]
    r = random.Random(1)
    for _ in range(20000):
        counts[sample([0.0, math.log(2), math.log(3), -math.inf], r)] += 1
    freq = [c / 20000 for c in counts]
    assert abs(freq[0] - 1 / 6) < 0.02 and abs(freq[2] - 0.5) < 0.02 and counts[3] == 0, f"frequencies {freq}"


case("probabilities on random settings", _probs)
case("exact cases", _exact_cases)
case("sampled tokens follow the inverse CDF", _sampling)
case("sample frequencies", _frequencies)
case("empty logits raise", lambda: raises(ValueError, filter_probs, []))
case("all -inf raises", lambda: raises(ValueError, filter_probs, [-math.inf, -math.inf]))
case("temperature 0 raises", lambda: raises(ValueError, filter_probs, [1.0, 2.0], temperature=0))
case("top_k 0 raises", lambda: raises(ValueError, filter_probs, [1.0, 2.0], top_k=0))
case("top_p 0 raises", lambda: raises(ValueError, filter_probs, [1.0, 2.0], top_p=0.0))
case("top_p above 1 raises", lambda: raises(ValueError, filter_probs, [1.0, 2.0], top_p=1.5))

if failures:
    print(f"FAIL: {len(failures)} of {total} checks failed")
    for line in failures:
        print(f"  - {line}")
    sys.exit(1)
print(f"PASS: all {total} checks passed")
