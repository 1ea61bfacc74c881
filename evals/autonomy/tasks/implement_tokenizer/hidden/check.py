"""Hidden check for implement_tokenizer. Run from the working directory: python3 check.py"""

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
    from lexer import LexError, tokenize
except BaseException as exc:
    print(f"FAIL: cannot import from lexer.py ({type(exc).__name__}: {exc})")
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


def toks(source):
    return [tuple(t) for t in tokenize(source)]


def eq_toks(source, expected):
    got = toks(source)
    assert got == expected, f"tokenize({source!r}) =\n      {got}\n    expected\n      {expected}"


def lex_error(source, line, col):
    try:
        result = tokenize(source)
    except LexError as exc:
        assert isinstance(exc, ValueError), "LexError must be a ValueError"
        assert (exc.line, exc.col) == (line, col), (
            f"tokenize({source!r}): error at {(exc.line, exc.col)}, expected {(line, col)}")
        return
    except BaseException as exc:
        raise AssertionError(f"tokenize({source!r}): expected LexError, got {type(exc).__name__}") from None
    raise AssertionError(f"tokenize({source!r}): expected LexError, got {result!r}")


FIXED = [
    ("", [("EOF", "", 1, 1)]),
    ("  \n", [("EOF", "", 2, 1)]),
    ("x", [("NAME", "x", 1, 1), ("EOF", "", 1, 2)]),
    ("a**b//c", [("NAME", "a", 1, 1), ("OP", "**", 1, 2), ("NAME", "b", 1, 4), ("OP", "//", 1, 5),
                 ("NAME", "c", 1, 7), ("EOF", "", 1, 8)]),
    ("x->y", [("NAME", "x", 1, 1), ("OP", "->", 1, 2), ("NAME", "y", 1, 4), ("EOF", "", 1, 5)]),
    ("a<=b>=c==d!=e", [("NAME", "a", 1, 1), ("OP", "<=", 1, 2), ("NAME", "b", 1, 4), ("OP", ">=", 1, 5),
                       ("NAME", "c", 1, 7), ("OP", "==", 1, 8), ("NAME", "d", 1, 10), ("OP", "!=", 1, 11),
                       ("NAME", "e", 1, 13), ("EOF", "", 1, 14)]),
    ("===", [("OP", "==", 1, 1), ("OP", "=", 1, 3), ("EOF", "", 1, 4)]),
    ("***", [("OP", "**", 1, 1), ("OP", "*", 1, 3), ("EOF", "", 1, 4)]),
    ("1.x", [("NUMBER", "1", 1, 1), ("OP", ".", 1, 2), ("NAME", "x", 1, 3), ("EOF", "", 1, 4)]),
    ("2e", [("NUMBER", "2", 1, 1), ("NAME", "e", 1, 2), ("EOF", "", 1, 3)]),
    ("2e+", [("NUMBER", "2", 1, 1), ("NAME", "e", 1, 2), ("OP", "+", 1, 3), ("EOF", "", 1, 4)]),
    ("6.02E-23", [("NUMBER", "6.02E-23", 1, 1), ("EOF", "", 1, 9)]),
    ("1.5.3", [("NUMBER", "1.5", 1, 1), ("OP", ".", 1, 4), ("NUMBER", "3", 1, 5), ("EOF", "", 1, 6)]),
    (".5", [("OP", ".", 1, 1), ("NUMBER", "5", 1, 2), ("EOF", "", 1, 3)]),
    ("12abc", [("NUMBER", "12", 1, 1), ("NAME", "abc", 1, 3), ("EOF", "", 1, 6)]),
    ("if x_1 else_ while", [("KEYWORD", "if", 1, 1), ("NAME", "x_1", 1, 4), ("NAME", "else_", 1, 8),
                            ("KEYWORD", "while", 1, 14), ("EOF", "", 1, 19)]),
    ("IF", [("NAME", "IF", 1, 1), ("EOF", "", 1, 3)]),
    ('"a\\"b\\\\c\\nd\\te"', [("STRING", 'a"b\\c\nd\te', 1, 1), ("EOF", "", 1, 16)]),
    ('""', [("STRING", "", 1, 1), ("EOF", "", 1, 3)]),
    ('"# not a comment"', [("STRING", "# not a comment", 1, 1), ("EOF", "", 1, 18)]),
    ('"é日"', [("STRING", "é日", 1, 1), ("EOF", "", 1, 5)]),
    ("x # comment ** \"\n\ty", [("NAME", "x", 1, 1), ("NAME", "y", 2, 2), ("EOF", "", 2, 3)]),
    ("a\r\nb", [("NAME", "a", 1, 1), ("NAME", "b", 2, 1), ("EOF", "", 2, 2)]),
    ("# only a comment", [("EOF", "", 1, 17)]),
    ("f(x, y)[0]{k: v}", [("NAME", "f", 1, 1), ("OP", "(", 1, 2), ("NAME", "x", 1, 3), ("OP", ",", 1, 4),
                          ("NAME", "y", 1, 6), ("OP", ")", 1, 7), ("OP", "[", 1, 8), ("NUMBER", "0", 1, 9),
                          ("OP", "]", 1, 10), ("OP", "{", 1, 11), ("NAME", "k", 1, 12), ("OP", ":", 1, 13),
                          ("NAME", "v", 1, 15), ("OP", "}", 1, 16), ("EOF", "", 1, 17)]),
    ("x+=1-=2", [("NAME", "x", 1, 1), ("OP", "+=", 1, 2), ("NUMBER", "1", 1, 4), ("OP", "-=", 1, 5),
                 ("NUMBER", "2", 1, 7), ("EOF", "", 1, 8)]),
]
for source, expected in FIXED:
    case(f"tokenize({source!r})", lambda s=source, e=expected: eq_toks(s, e))

ERRORS = [
    ("$", 1, 1), ("a $", 1, 3), ("x\n  !", 2, 3), ("!x", 1, 1), ('x = "abc', 1, 5),
    ('"ab\ncd"', 1, 1), ('  "a\\qb"', 1, 5), ("café", 1, 4), ("x²", 1, 2), ("١٢", 1, 1),
    ('"\\', 1, 1), ("a ; b", 1, 3), ("'s'", 1, 1), ("x\n\n  @y", 3, 3),
]
for source, line, col in ERRORS:
    case(f"tokenize({source!r}) raises LexError", lambda s=source, ln=line, c=col: lex_error(s, ln, c))

OPS = ["**", "//", "==", "!=", "<=", ">=", "->", "+=", "-=", "+", "-", "*", "/", "%", "<", ">", "=",
       "(", ")", "[", "]", "{", "}", ",", ":", "."]
KEYWORDS = ["if", "else", "while", "def", "return", "and", "or", "not"]
rng = random.Random(515)


def random_token():
    r = rng.random()
    if r < 0.2:
        text = str(rng.randint(0, 10**rng.randint(0, 6)))
        if rng.random() < 0.4:
            text += "." + str(rng.randint(0, 999))
        if rng.random() < 0.3:
            text += rng.choice("eE") + rng.choice(["", "+", "-"]) + str(rng.randint(0, 99))
        return ("NUMBER", text, text)
    if r < 0.45:
        first = rng.choice("abcxyzXYZ_")
        text = first + "".join(rng.choice("abz_09Q") for _ in range(rng.randint(0, 6)))
        return ("NAME", text, text)
    if r < 0.55:
        text = rng.choice(KEYWORDS)
        return ("KEYWORD", text, text)
    if r < 0.7:
        value = "".join(rng.choice(['a', ' ', '"', '\\', '\n', '\t', '#', 'é', '1']) for _ in range(rng.randint(0, 6)))
        raw = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
        return ("STRING", value, '"' + raw + '"')
    op = rng.choice(OPS)
    return ("OP", op, op)


def _random_programs():
    for _ in range(400):
        parts, expected = [], []
        line, col = 1, 1
        for _ in range(rng.randint(0, 25)):
            kind, value, text = random_token()
            expected.append((kind, value, line, col))
            parts.append(text)
            col += len(text)
            sep = rng.choice([" ", "  ", "\t", "\n", " # note \"x\n", "\n\n   "])
            parts.append(sep)
            for ch in sep:
                if ch == "\n":
                    line, col = line + 1, 1
                else:
                    col += 1
        expected.append(("EOF", "", line, col))
        eq_toks("".join(parts), expected)


case("random programs", _random_programs)

if failures:
    print(f"FAIL: {len(failures)} of {total} checks failed")
    for line in failures[:15]:
        print(f"  - {line}")
    sys.exit(1)
print(f"PASS: all {total} checks passed")
