"""Hidden check for implement_roman. Run from the working directory: python check.py"""

import itertools
import os
import signal
import sys

sys.path.insert(0, ".")


def _timeout(*_):
    print("FAIL: check timed out")
    os._exit(1)


if hasattr(signal, "SIGALRM"):
    signal.signal(signal.SIGALRM, _timeout)
    signal.alarm(120)

try:
    import roman as _roman_module
    from roman import from_roman, to_roman
except BaseException as exc:
    print(f"FAIL: cannot import to_roman/from_roman from roman.py ({type(exc).__name__}: {exc})")
    sys.exit(1)

# "roman" is also the name of a PyPI package: make sure the agent's file was imported.
_here = os.path.realpath(os.getcwd())
if os.path.dirname(os.path.realpath(getattr(_roman_module, "__file__", "") or "")) != _here:
    print("FAIL: `roman` was not imported from roman.py in the working directory")
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


# Independent reference: digit-by-digit tables.
_ONES = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"]
_TENS = ["", "X", "XX", "XXX", "XL", "L", "LX", "LXX", "LXXX", "XC"]
_HUNDREDS = ["", "C", "CC", "CCC", "CD", "D", "DC", "DCC", "DCCC", "CM"]
_THOUSANDS = ["", "M", "MM", "MMM"]


def reference(n):
    return _THOUSANDS[n // 1000] + _HUNDREDS[n // 100 % 10] + _TENS[n // 10 % 10] + _ONES[n % 10]


CANONICAL = {reference(n): n for n in range(1, 4000)}

KNOWN = [
    (1, "I"),
    (3, "III"),
    (4, "IV"),
    (9, "IX"),
    (14, "XIV"),
    (40, "XL"),
    (90, "XC"),
    (400, "CD"),
    (900, "CM"),
    (1994, "MCMXCIV"),
    (2024, "MMXXIV"),
    (3888, "MMMDCCCLXXXVIII"),
    (3999, "MMMCMXCIX"),
]
for number, numeral in KNOWN:
    case(f"to_roman({number})", lambda n=number, r=numeral: eq(to_roman(n), r))
    case(f"from_roman({numeral!r})", lambda n=number, r=numeral: eq(from_roman(r), n))


def _to_roman_all():
    for n in range(1, 4000):
        got = to_roman(n)
        assert got == reference(n), f"to_roman({n}) gave {got!r}, expected {reference(n)!r}"


def _round_trip_all():
    for n in range(1, 4000):
        numeral = reference(n)
        got = from_roman(numeral)
        assert type(got) is int and got == n, f"from_roman({numeral!r}) gave {got!r}, expected {n}"


case("to_roman for all of 1..3999", _to_roman_all)
case("from_roman for all of 1..3999", _round_trip_all)


def _exhaustive_short_strings():
    # Every string of 1-4 numeral letters: valid exactly when it is canonical.
    for length in range(1, 5):
        for letters in itertools.product("IVXLCDM", repeat=length):
            s = "".join(letters)
            if s in CANONICAL:
                got = from_roman(s)
                assert got == CANONICAL[s], f"from_roman({s!r}) gave {got!r}"
            else:
                try:
                    got = from_roman(s)
                except ValueError:
                    continue
                raise AssertionError(f"from_roman({s!r}) should raise ValueError, gave {got!r}")


case("all numeral strings up to length 4", _exhaustive_short_strings)

INVALID = [
    "",
    "IIII",
    "VV",
    "IC",
    "IL",
    "XM",
    "VX",
    "IIV",
    "IXI",
    "IVI",
    "XCX",
    "CMCM",
    "MMMM",
    "MMMCMXCIXI",
    "DCCCC",
    "LXXXX",
    "VIIII",
    "MCMC",
    "MDM",
    "MCMXCIVV",
    "iv",
    "mcmxciv",
    "McmXciv",
    " XIV",
    "XIV ",
    "X IV",
    "XIV\n",
    "\u2163",
    "XIIZ",
    "0",
    "14",
]
for text in INVALID:
    case(
        f"from_roman({text!r}) raises ValueError",
        lambda t=text: raises(ValueError, from_roman, t),
    )


def _to_roman_range():
    for bad in (0, -1, 4000, 10**6):
        raises(ValueError, to_roman, bad)


def _to_roman_types():
    for bad in (1.0, 5.5, "5", None, True, False):
        raises(TypeError, to_roman, bad)


def _from_roman_types():
    for bad in (5, None, b"IV", ["I", "V"]):
        raises(TypeError, from_roman, bad)


case("to_roman out of range raises ValueError", _to_roman_range)
case("to_roman non-int raises TypeError", _to_roman_types)
case("from_roman non-str raises TypeError", _from_roman_types)

if failures:
    print(f"FAIL: {len(failures)} of {total} checks failed")
    for line in failures[:25]:
        print(f"  - {line}")
    if len(failures) > 25:
        print(f"  ... and {len(failures) - 25} more")
    sys.exit(1)
print(f"PASS: all {total} checks passed")
