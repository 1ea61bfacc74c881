"""Hidden check for implement_slugify. Run from the working directory: python check.py"""

import os
import re
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
    from slug import slugify
except BaseException as exc:
    print(f"FAIL: cannot import slugify from slug.py ({type(exc).__name__}: {exc})")
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


def eq(actual, expected):
    assert actual == expected, f"expected {expected!r}, got {actual!r}"


def raises(exc_type, fn, *args, **kwargs):
    try:
        result = fn(*args, **kwargs)
    except exc_type:
        return
    except BaseException as exc:
        raise AssertionError(
            f"expected {exc_type.__name__}, got {type(exc).__name__}: {exc}"
        ) from None
    raise AssertionError(f"expected {exc_type.__name__}, got {result!r}")


PLAIN = [
    ("Hello, World!", "hello-world"),
    ("  Crème   Brûlée  ", "creme-brulee"),
    ("naïve café", "naive-cafe"),
    ("Ångström Über Ñandú", "angstrom-uber-nandu"),
    ("Straße", "strae"),
    ("a日b", "ab"),
    ("日本 語 text", "text"),
    ("\ufb01le\u00b2", "file2"),
    ("\uff21\uff22\uff23\uff11\uff12\uff13", "abc123"),
    ("foo_bar--baz", "foo-bar-baz"),
    ("Version 2.0 (beta)", "version-2-0-beta"),
    ("tab\tnew\nline", "tab-new-line"),
    ("--Leading and trailing--", "leading-and-trailing"),
    ("already-a-slug", "already-a-slug"),
    ("", ""),
    ("!!! ???", ""),
    ("ß", ""),
]
for text, expected in PLAIN:
    case(f"slugify({text!r})", lambda t=text, e=expected: eq(slugify(t), e))

LIMITED = [
    ("hello world foo", 11, "hello-world"),
    ("hello world foo", 12, "hello-world"),
    ("hello world foo", 13, "hello-world"),
    ("hello world foo", 6, "hello"),
    ("hello world foo", 5, "hello"),
    ("hello world foo", 3, "hel"),
    ("hello world foo", 1, "h"),
    ("hello world foo", 15, "hello-world-foo"),
    ("hello world foo", 100, "hello-world-foo"),
    ("supercalifragilistic word", 10, "supercalif"),
    ("Crème brûlée", 9, "creme"),
    ("a b c d e", 4, "a-b"),
    ("", 3, ""),
]
for text, limit, expected in LIMITED:
    case(
        f"slugify({text!r}, max_length={limit})",
        lambda t=text, n=limit, e=expected: eq(slugify(t, max_length=n), e),
    )

case("max_length=0 raises", lambda: raises(ValueError, slugify, "hello", max_length=0))
case("max_length<0 raises", lambda: raises(ValueError, slugify, "hello", max_length=-5))
case("max_length=0 raises for empty text", lambda: raises(ValueError, slugify, "", max_length=0))
case("max_length passed positionally", lambda: eq(slugify("hello world foo", 11), "hello-world"))

SHAPE = re.compile(r"(?:[a-z0-9]+(?:-[a-z0-9]+)*)?")


def _shape_property():
    samples = [
        "  --__Mixed CASE & symbols: 100%!!__--  ",
        "Ça va? Très bien; merci.",
        "x" * 50 + " " + "y" * 50,
        "ümlaut-ümlaut ümlaut",
        "tabs\t\tand\r\nnewlines",
        "emoji \U0001f600 in the middle",
    ]
    for text in samples:
        for limit in (None, 1, 2, 5, 8, 13, 60):
            out = slugify(text, max_length=limit)
            assert isinstance(out, str), f"{text!r}: result is {type(out).__name__}, not str"
            assert SHAPE.fullmatch(out), f"{text!r} max_length={limit}: bad slug {out!r}"
            if limit is not None:
                assert len(out) <= limit, f"{text!r} max_length={limit}: {out!r} too long"


case("results are well-formed slugs", _shape_property)

if failures:
    print(f"FAIL: {len(failures)} of {total} checks failed")
    for line in failures:
        print(f"  - {line}")
    sys.exit(1)
print(f"PASS: all {total} checks passed")
