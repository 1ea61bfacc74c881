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


def tokenize(source):
    """Return the list of tokens of source (see the module docstring)."""
    raise NotImplementedError("tokenize is not implemented yet")
