"""Turn arbitrary text into URL slugs."""


def slugify(text, max_length=None):
    """Return a URL slug for ``text``.

    The slug is built by applying these rules in order:

    1. Normalize ``text`` with ``unicodedata.normalize("NFKD", text)`` and then
       drop every character that is not ASCII. Accented Latin letters thus
       become their plain letters ("é" -> "e", "Ñ" -> "N", "Å" -> "A"),
       compatibility characters are expanded ("ﬁ" -> "fi", "²" -> "2",
       full-width letters such as U+FF21 -> "A"), and characters with no
       ASCII decomposition ("ß", "ø", "日", emoji, ...) disappear without
       leaving a gap.
    2. Lowercase the result.
    3. Replace every maximal run of characters that are not ASCII letters or
       digits (``a-z``, ``0-9``) with a single hyphen ``"-"``. Underscores,
       punctuation and whitespace are all separators.
    4. Remove leading and trailing hyphens.
    5. If ``max_length`` is not None and the slug is longer than
       ``max_length`` characters, shorten it to at most ``max_length``
       characters, cutting at a hyphen boundary when possible:

       * let ``cut = slug[:max_length]``;
       * if the character right after the cut, ``slug[max_length]``, is a
         hyphen, the cut falls between two words and the result is ``cut``;
       * otherwise, if ``cut`` contains a hyphen, the result is ``cut`` up to
         (not including) its last hyphen, so no word is broken;
       * otherwise (the first word alone is longer than ``max_length``) the
         result is ``cut``: the word is cut hard.

       A slug of length ``max_length`` or shorter is returned unchanged.

    The result may be the empty string (for example for ``""`` or ``"!!!"``).
    The result never contains two hyphens in a row and never starts or ends
    with a hyphen.

    Args:
        text: the text to convert (a ``str``).
        max_length: ``None`` for no limit, or the maximum slug length.

    Raises:
        ValueError: if ``max_length`` is not None and is less than 1 (even when
            the slug would be short enough anyway).

    Examples:
        >>> slugify("Hello, World!")
        'hello-world'
        >>> slugify("  Crème   Brûlée  ")
        'creme-brulee'
        >>> slugify("hello world foo", max_length=13)
        'hello-world'
    """
    raise NotImplementedError("slugify is not implemented yet")
