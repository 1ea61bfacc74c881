"""Hidden check for implement_beam_search. Run from the working directory: python3 check.py"""

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
    from beam import beam_search
except BaseException as exc:
    print(f"FAIL: cannot import beam_search from beam.py ({type(exc).__name__}: {exc})")
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


def toy_model(seed, vocab, sharp):
    """Log-probabilities that depend on the whole prefix, drawn from a seeded generator."""
    calls = []

    def step(prefix):
        calls.append(tuple(prefix))
        r = random.Random(f"{seed}|{'/'.join(prefix)}")
        toks = [t for t in vocab if r.random() < 0.85] or [vocab[0]]
        logits = [r.gauss(0, sharp) for _ in toks]
        m = max(logits)
        lse = m + math.log(sum(math.exp(x - m) for x in logits))
        return {t: x - lse for t, x in zip(toks, logits)}

    return step, calls


def reference(step_fn, beam_width, max_len, eos):
    beams, finished, expanded = [((), 0.0)], [], set()
    for _ in range(max_len):
        if not beams:
            break
        cands = []
        for toks, score in beams:
            expanded.add(toks)
            for tok, lp in step_fn(toks).items():
                cands.append((toks + (tok,), score + lp))
        cands.sort(key=lambda h: (-h[1], h[0]))
        beams = []
        for h in cands[:beam_width]:
            (finished if h[0][-1] == eos else beams).append(h)
    finished += beams
    finished.sort(key=lambda h: (-h[1], h[0]))
    return finished, expanded


def same(got, want):
    if not isinstance(got, list) or len(got) != len(want):
        return False
    for g, w in zip(got, want):
        if not (isinstance(g, (tuple, list)) and len(g) == 2):
            return False
        if tuple(g[0]) != w[0] or not math.isclose(g[1], w[1], rel_tol=1e-9, abs_tol=1e-12):
            return False
    return True


def fmt(hyps):
    return [("".join(t), round(s, 4)) for t, s in hyps[:6]]


rng = random.Random(404)


def _random_models():
    for trial in range(250):
        vocab = ["a", "b", "c", "d", "e"][:rng.randint(2, 5)] + ["$"]
        seed, sharp = rng.randint(0, 10**9), rng.choice([0.5, 1.0, 3.0])
        width, max_len = rng.randint(1, 6), rng.randint(1, 6)
        step, _ = toy_model(seed, vocab, sharp)
        want, expanded = reference(step, width, max_len, "$")
        step2, calls = toy_model(seed, vocab, sharp)
        got = beam_search(step2, width, max_len, "$")
        where = f"trial {trial} (vocab {''.join(vocab)}, beam_width={width}, max_len={max_len})"
        assert same(got, want), f"{where}: got {fmt(got) if isinstance(got, list) else got!r}..., expected {fmt(want)}..."
        assert not any(c and c[-1] == "$" for c in calls), f"{where}: step_fn called on a finished hypothesis"
        assert set(calls) == expanded, (f"{where}: step_fn called on {sorted(''.join(c) for c in set(calls))[:8]}, "
                                        f"expected {sorted(''.join(c) for c in expanded)[:8]}")


def _exhaustive():
    vocab = ["x", "y", "$"]
    step, _ = toy_model(7, vocab, 1.0)
    got = beam_search(step, 1000, 3, "$")
    all_seqs = []

    def walk(prefix, score):
        if len(prefix) == 3 or (prefix and prefix[-1] == "$"):
            all_seqs.append((prefix, score))
            return
        for tok, lp in step(prefix).items():
            walk(prefix + (tok,), score + lp)

    walk((), 0.0)
    all_seqs.sort(key=lambda h: (-h[1], h[0]))
    assert same(got, all_seqs), f"a wide beam must find every sequence: got {fmt(got)}, expected {fmt(all_seqs)}"


def _ties():
    table = {(): {"b": -1.0, "a": -1.0, "$": -2.0}}

    def step(prefix):
        return table.get(prefix, {"$": -0.5, "a": -0.5})

    got = beam_search(step, 2, 2, "$")
    want = [(("a", "$"), -1.5), (("a", "a"), -1.5)]
    assert same(got, want), f"tie-breaking: got {got}, expected {want}"


def _greedy_differs():
    table = {(): {"a": math.log(0.6), "b": math.log(0.4)},
             ("a",): {"x": math.log(0.3), "y": math.log(0.3), "z": math.log(0.4)},
             ("b",): {"x": math.log(0.9), "$": math.log(0.1)}}

    def step(prefix):
        return table.get(prefix, {"$": 0.0})

    greedy = beam_search(step, 1, 2, "$")
    assert [tuple(h[0]) for h in greedy] == [("a", "z")], f"beam_width=1 gave {greedy}"
    wide = beam_search(step, 2, 2, "$")
    assert tuple(wide[0][0]) == ("b", "x"), f"beam_width=2 should find ('b', 'x') first, got {wide}"


case("random toy models against the documented algorithm", _random_models)
case("a wide beam is exhaustive", _exhaustive)
case("ties are broken by token tuple", _ties)
case("greedy and beam differ", _greedy_differs)
case("beam_width 0 raises", lambda: raises(ValueError, beam_search, lambda p: {"$": 0.0}, 0, 3, "$"))
case("max_len 0 raises", lambda: raises(ValueError, beam_search, lambda p: {"$": 0.0}, 2, 0, "$"))

if failures:
    print(f"FAIL: {len(failures)} of {total} checks failed")
    for line in failures:
        print(f"  - {line}")
    sys.exit(1)
print(f"PASS: all {total} checks passed")
