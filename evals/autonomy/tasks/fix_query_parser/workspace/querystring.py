"""Parse and build URL query strings."""


def parse_query(qs):
    """Parse a query string such as ``"?q=caf%C3%A9&tag=a&tag=b"``.

    Rules, in order:

    * one leading ``"?"``, if present, is ignored;
    * the string is split on ``"&"`` into pairs; empty pairs are skipped;
    * each pair is split on its first ``"="`` into name and value (a pair
      without ``"="`` has the value ``""``), so values may contain ``"="``;
    * in names and values, ``"+"`` means a space; then every ``%XX`` escape
      (``X`` a hex digit, either case) stands for one byte, and each run of
      bytes and plain characters is decoded as UTF-8, so ``"%C3%A9"`` is
      ``"é"``; a ``"%"`` not followed by two hex digits is kept literally.

    Returns:
        A dict mapping each name to the list of its values, in the order
        they appear; names are in order of first appearance.

    Raises:
        ValueError: if the escaped bytes are not valid UTF-8.
    """
    result = {}
    if qs.startswith("?"):
        qs = qs[1:]
    for pair in qs.split("&"):
        if not pair:
            continue
        parts = pair.split("=")
        name = _decode(parts[0])
        value = _decode(parts[1]) if len(parts) > 1 else ""
        result.setdefault(name, []).append(value)
    return result


def _decode(text):
    out = []
    i = 0
    while i < len(text):
        if text[i] == "%":
            out.append(chr(int(text[i + 1:i + 3], 16)))
            i += 3
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def build_query(params):
    """Build a query string (without a leading "?") from ``params``.

    ``params`` maps names to a string or a list of strings. Pairs are written
    ``name=value`` joined by ``"&"``, in the dict's order and the lists' order
    (a name with an empty list writes nothing). In names and values, every
    character except ASCII letters, digits and ``-._~`` is percent-encoded
    as the uppercase ``%XX`` escapes of its UTF-8 bytes, except that a space
    is written as ``"+"``. So ``parse_query(build_query(p))`` gives back ``p``
    (with single strings turned into one-element lists, and names with empty
    lists left out).
    """
    pairs = []
    for name, values in params.items():
        if isinstance(values, str):
            values = [values]
        for value in values:
            pairs.append(f"{name}={value}")
    return "&".join(pairs)
