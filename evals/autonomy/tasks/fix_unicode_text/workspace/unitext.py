"""Text helpers that respect combining characters.

A *cluster* is what a reader sees as one character: a code point whose
``unicodedata.combining()`` value is 0 (a base character), followed by every
code point right after it whose ``unicodedata.combining()`` value is not 0 (its
combining marks, e.g. U+0301 COMBINING ACUTE ACCENT). Combining marks at the
very start of a text, before any base character, together form one cluster.
No other rule is used (no normalization happens unless a function says so).
"""

import unicodedata


def clusters(text):
    """Return the list of clusters of ``text``, in order ("" gives [])."""
    return list(text)


def length(text):
    """Return the number of clusters in ``text``."""
    return len(text)


def truncate(text, limit, ellipsis="…"):
    """Shorten ``text`` to at most ``limit`` clusters.

    If ``text`` has at most ``limit`` clusters it is returned unchanged.
    Otherwise the result is the first ``limit - length(ellipsis)`` clusters of
    ``text`` followed by ``ellipsis``, so it has exactly ``limit`` clusters and
    never separates a base character from its combining marks.

    Raises:
        ValueError: if ``limit`` is less than ``length(ellipsis)``.
    """
    if len(text) <= limit:
        return text
    return text[: limit - len(ellipsis)] + ellipsis


def reverse(text):
    """Return ``text`` with the order of its clusters reversed.

    Each cluster keeps its code points in their original order, so marks stay
    on their base characters.
    """
    return text[::-1]


def same_text(a, b):
    """Return True if ``a`` and ``b`` are the same text ignoring case and form.

    The texts are compared after applying ``unicodedata.normalize("NFC", ...)``
    and then ``str.casefold()``, and then NFC again, to each of them. So a
    composed "é" equals "e" + U+0301, "Straße" equals "STRASSE", and "Ω"
    equals "ω".
    """
    return a.lower() == b.lower()
