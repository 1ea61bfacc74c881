"""Hidden check for implement_bpe. Run from the working directory: python3 check.py"""

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
    signal.alarm(90)

try:
    from bpe import encode, train_bpe
except BaseException as exc:
    print(f"FAIL: cannot import from bpe.py ({type(exc).__name__}: {exc})")
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


def merge_once(symbols, a, b):
    out = []
    i = 0
    while i < len(symbols):
        if i + 1 < len(symbols) and symbols[i] == a and symbols[i + 1] == b:
            out.append(a + b)
            i += 2
        else:
            out.append(symbols[i])
            i += 1
    return out


def ref_train(word_counts, num_merges, min_frequency=2):
    words = [(list(w), c) for w, c in word_counts.items()]
    merges = []
    while len(merges) < num_merges:
        counts = {}
        for syms, c in words:
            for i in range(len(syms) - 1):
                counts[(syms[i], syms[i + 1])] = counts.get((syms[i], syms[i + 1]), 0) + c
        if not counts:
            break
        top = max(counts.values())
        if top < min_frequency:
            break
        best = min(p for p, c in counts.items() if c == top)
        merges.append(best)
        words = [(merge_once(s, *best), c) for s, c in words]
    return merges


def ref_encode(word, merges):
    syms = list(word)
    rank = {tuple(p): i for i, p in enumerate(merges)}
    while True:
        found = [rank[(syms[i], syms[i + 1])] for i in range(len(syms) - 1) if (syms[i], syms[i + 1]) in rank]
        if not found:
            return syms
        syms = merge_once(syms, *merges[min(found)])


rng = random.Random(909)


def corpus():
    alphabet = rng.choice(["ab", "abc", "abcd", "lowerst", "xyzé"])
    words = {}
    for _ in range(rng.randint(1, 40)):
        w = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 9)))
        words[w] = rng.randint(1, 12)
    return words, alphabet


def as_pairs(merges):
    return [tuple(m) for m in merges]


def _train():
    for trial in range(200):
        words, _ = corpus()
        n, minf = rng.randint(0, 40), rng.choice([1, 2, 2, 3, 10])
        want = ref_train(words, n, minf)
        got = train_bpe(dict(words), n, min_frequency=minf)
        assert isinstance(got, list), f"train_bpe returned {type(got).__name__}"
        assert as_pairs(got) == want, (f"trial {trial}: train_bpe({dict(list(words.items())[:6])}..., {n}, "
                                       f"min_frequency={minf}) = {as_pairs(got)[:8]}..., expected {want[:8]}...")


def _encode():
    for trial in range(200):
        words, alphabet = corpus()
        merges = ref_train(words, rng.randint(0, 30), 1)
        for _ in range(10):
            w = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
            want = ref_encode(w, merges)
            got = encode(w, list(merges))
            assert list(got) == want, f"trial {trial}: encode({w!r}, {merges[:8]}...) = {got!r}, expected {want!r}"
            assert "".join(got) == w, "tokens must join back into the word"


def _classic():
    words = {"low": 5, "lower": 2, "newest": 6, "widest": 3}
    merges = train_bpe(words, 10)
    want = ref_train(words, 10)
    assert as_pairs(merges) == want, f"got {as_pairs(merges)}, expected {want}"
    assert as_pairs(train_bpe({"aaa": 5}, 5)) == [("a", "a"), ("aa", "a")], "overlapping pairs"
    assert train_bpe({"ab": 1}, 5) == [], "min_frequency 2 stops a pair seen once"
    assert as_pairs(train_bpe({"ab": 1}, 5, min_frequency=1)) == [("a", "b")]
    assert encode("", [("a", "b")]) == [], "empty word"
    assert list(encode("aaaa", [("a", "a")])) == ["aa", "aa"]
    assert list(encode("abcab", [("b", "c"), ("a", "b"), ("a", "bc")])) == ["abc", "ab"], "merge order"


def _speed():
    words = {}
    r = random.Random(5)
    for _ in range(2000):
        words["".join(r.choice("abcdefgh") for _ in range(r.randint(3, 12)))] = r.randint(1, 50)
    merges = train_bpe(words, 60)
    assert len(merges) == 60, f"expected 60 merges, got {len(merges)}"


case("training on random corpora", _train)
case("encoding random words", _encode)
case("small known cases", _classic)
case("a 2000-word corpus trains quickly", _speed)

if failures:
    print(f"FAIL: {len(failures)} of {total} checks failed")
    for line in failures:
        print(f"  - {line}")
    sys.exit(1)
print(f"PASS: all {total} checks passed")
