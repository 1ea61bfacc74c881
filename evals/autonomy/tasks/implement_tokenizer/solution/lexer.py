"""A tokenizer for a small expression language.

``tokenize(source)`` returns a list of ``Token(kind, value, line, col)``.
``line`` and ``col`` are 1-based and give the position of the token's first
character (``col`` counts characters from the start of its line; a tab is one
character). Scanning goes left to right; at each position:

* Spaces, tabs, ``"\\r"`` and ``"\\n"`` are skipped; ``"\\n"`` starts a new line.
* ``#`` starts a comment that runs up to (not including) the next ``"\\n"``;
  it is skipped.
* NUMBER: ASCII digits, optionally followed by ``.`` and one or more digits,
  optionally followed by ``e`` or ``E``, an optional ``+``/``-`` and one or
  more digits. The longest such match is taken, so a ``.`` or ``e`` that is not
  followed by what the rule needs is not part of the number (``1.x`` is
  NUMBER ``1``, OP ``.``, NAME ``x``; ``2e`` is NUMBER ``2``, NAME ``e``).
  ``value`` is the source text, e.g. ``"6.02e+23"``.
* NAME: an ASCII letter or ``_`` followed by ASCII letters, digits or ``_``.
  Names in KEYWORDS are tokens of kind KEYWORD instead. ``value`` is the text.
* STRING: ``"`` ... ``"``. Inside, a backslash starts an escape: ``\\"``,
  ``\\\\``, ``\\n`` and ``\\t`` stand for a quote, a backslash, a newline and a tab.
  ``value`` is the decoded content, without the quotes. A string may not
  contain a raw newline.
* OP: the longest of the operators in OPERATORS that matches here.
* Anything else is an error.

After the last token comes a token ``Token("EOF", "", line, col)`` at the
position just after the end of the source.

Errors raise ``LexError`` (a ValueError) with ``line`` and ``col`` attributes:
at the opening quote for a string that meets a raw newline or the end of the
source before its closing quote; at the backslash for an unknown escape; at
the offending character otherwise (e.g. ``$``, ``!`` not followed by ``=``, or a
non-ASCII letter or digit).
"""

from collections import namedtuple

Token = namedtuple("Token", "kind value line col")

KEYWORDS = frozenset({"if", "else", "while", "def", "return", "and", "or", "not"})
OPERATORS = ("**", "//", "==", "!=", "<=", ">=", "->", "+=", "-=",
             "+", "-", "*", "/", "%", "<", ">", "=", "(", ")", "[", "]", "{", "}", ",", ":", ".")


class LexError(ValueError):
    """A tokenizing error at 1-based ``line`` and ``col``."""

    def __init__(self, message, line, col):
        super().__init__(f"{message} at line {line}, column {col}")
        self.line = line
        self.col = col

_DIGITS = "0123456789"
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_"
_ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "t": "\t"}
_OPS_LONGEST_FIRST = sorted(OPERATORS, key=len, reverse=True)


def tokenize(source):
    """Return the list of tokens of ``source`` (see the module docstring)."""
    tokens = []
    i, line, line_start = 0, 1, 0
    n = len(source)

    def digits_end(j):
        while j < n and source[j] in _DIGITS:
            j += 1
        return j

    while True:
        while i < n and (source[i] in " \t\r\n" or source[i] == "#"):
            if source[i] == "#":
                while i < n and source[i] != "\n":
                    i += 1
                continue
            if source[i] == "\n":
                line, line_start = line + 1, i + 1
            i += 1
        col = i - line_start + 1
        if i >= n:
            tokens.append(Token("EOF", "", line, col))
            return tokens
        ch = source[i]
        if ch in _DIGITS:
            j = digits_end(i)
            if j + 1 < n and source[j] == "." and source[j + 1] in _DIGITS:
                j = digits_end(j + 1)
            if j < n and source[j] in "eE":
                k = j + 1
                if k < n and source[k] in "+-":
                    k += 1
                if k < n and source[k] in _DIGITS:
                    j = digits_end(k)
            tokens.append(Token("NUMBER", source[i:j], line, col))
            i = j
        elif ch in _LETTERS:
            j = i + 1
            while j < n and (source[j] in _LETTERS or source[j] in _DIGITS):
                j += 1
            text = source[i:j]
            tokens.append(Token("KEYWORD" if text in KEYWORDS else "NAME", text, line, col))
            i = j
        elif ch == '"':
            j, out = i + 1, []
            while True:
                if j >= n or source[j] == "\n":
                    raise LexError("unterminated string", line, col)
                c = source[j]
                if c == '"':
                    break
                if c == "\\":
                    if j + 1 >= n:
                        raise LexError("unterminated string", line, col)
                    if source[j + 1] not in _ESCAPES:
                        raise LexError("unknown escape", line, j - line_start + 1)
                    out.append(_ESCAPES[source[j + 1]])
                    j += 2
                else:
                    out.append(c)
                    j += 1
            tokens.append(Token("STRING", "".join(out), line, col))
            i = j + 1
        else:
            for op in _OPS_LONGEST_FIRST:
                if source.startswith(op, i):
                    tokens.append(Token("OP", op, line, col))
                    i += len(op)
                    break
            else:
                raise LexError(f"unexpected character {ch!r}", line, col)
