"""Hidden check for fix_unicode_text. Run from the working directory: python3 check.py"""

import os
import random
import signal
import sys
import unicodedata

sys.path.insert(0, ".")


def _timeout(*_):
    print("FAIL: check timed out")
    os._exit(1)


if hasattr(signal, "SIGALRM"):
    signal.signal(signal.SIGALRM, _timeout)
    signal.alarm(60)

try:
    from unitext import clusters, length, reverse, same_text, truncate
except BaseException as exc:
    print(f"FAIL: cannot import from unitext.py ({type(exc).__name__}: {exc})")
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


BASES = list("abcXYZ019 -.") + ["é", "ß", "Ω", "日", "ж", "\u0627", "\U0001f600", "ﬁ", "İ"]
MARKS = ["\u0301", "\u0308", "\u0327", "\u0323", "\u064e", "\u20d7", "\u0345"]
rng = random.Random(2024)


def random_clusters():
    out = []
    if rng.random() < 0.1:
        out.append("".join(rng.choice(MARKS) for _ in range(rng.randint(1, 2))))
    for _ in range(rng.randint(0, 9)):
        out.append(rng.choice(BASES) + "".join(rng.choice(MARKS) for _ in range(
            rng.choice([0, 0, 1, 1, 2, 3]))))
    return out


SAMPLES = [random_clusters() for _ in range(400)]


def _clusters():
    for parts in SAMPLES:
        text = "".join(parts)
        got = clusters(text)
        assert got == parts, f"clusters({text!r}) = {got!r}, expected {parts!r}"
        assert length(text) == len(parts), f"length({text!r}) = {length(text)!r}, expected {len(parts)}"


def _reverse():
    for parts in SAMPLES:
        text = "".join(parts)
        want = "".join(reversed(parts))
        assert reverse(text) == want, f"reverse({text!r}) = {reverse(text)!r}, expected {want!r}"


def _truncate():
    for parts in SAMPLES:
        text = "".join(parts)
        for ell in ("…", "...", "", "e\u0301"):
            ell_len = len([c for c in ell if not unicodedata.combining(c)])
            for limit in range(ell_len, len(parts) + 2):
                want = text if len(parts) <= limit else "".join(parts[:limit - ell_len]) + ell
                got = truncate(text, limit, ell)
                assert got == want, f"truncate({text!r}, {limit}, {ell!r}) = {got!r}, expected {want!r}"
            if ell_len:
                try:
                    truncate(text, ell_len - 1, ell)
                except ValueError:
                    pass
                else:
                    raise AssertionError(f"truncate({text!r}, {ell_len - 1}, {ell!r}) did not raise")


def _truncate_default():
    text = "Cafe\u0301 au lait"
    assert truncate(text, 5) == "Cafe\u0301…", truncate(text, 5)
    assert truncate(text, 4) == "Caf…", truncate(text, 4)
    assert truncate(text, 12) == text
    raises(ValueError, truncate, text, 0)


def fold(s):
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", s).casefold())


def _same_text():
    pairs = [("é", "e\u0301"), ("Straße", "STRASSE"), ("Ω", "ω"), ("ΣΊΣΥΦΟΣ", "σίσυφος"),
             ("ﬁle", "FILE"), ("Å", "A\u030a"), ("a", "b"), ("é", "e"), ("ß", "s"),
             ("İ", "i\u0307"), ("Ǆ", "ǆ"), ("", "")]
    for a, b in pairs:
        assert same_text(a, b) == (fold(a) == fold(b)), f"same_text({a!r}, {b!r}) = {same_text(a, b)!r}"
    for parts in SAMPLES[:200]:
        text = "".join(parts)
        variants = [unicodedata.normalize(f, text) for f in ("NFC", "NFD")] + [text.upper(),
                                                                           text.swapcase()]
        for v in variants:
            want = fold(text) == fold(v)
            assert same_text(text, v) == want, f"same_text({text!r}, {v!r}) = {same_text(text, v)!r}"


case("clusters and length", _clusters)
case("reverse", _reverse)
case("truncate", _truncate)
case("truncate with the default ellipsis", _truncate_default)
case("same_text", _same_text)


def _empty():
    got = (clusters(""), length(""), reverse(""), truncate("", 1))
    assert got == ([], 0, "", ""), f"results for '' are {got!r}"


case("empty text", _empty)

if failures:
    print(f"FAIL: {len(failures)} of {total} checks failed")
    for line in failures:
        print(f"  - {line}")
    sys.exit(1)
print(f"PASS: all {total} checks passed")
