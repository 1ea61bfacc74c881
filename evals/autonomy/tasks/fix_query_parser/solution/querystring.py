"""Parse and build URL query strings."""

import re

_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


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
        name, _, value = pair.partition("=")
        result.setdefault(_decode(name), []).append(_decode(value))
    return result


def _decode(text):
    raw = bytearray()
    pos = 0
    text = text.replace("+", " ")
    for match in _ESCAPE.finditer(text):
        raw += text[pos:match.start()].encode("utf-8")
        raw.append(int(match.group(1), 16))
        pos = match.end()
    raw += text[pos:].encode("utf-8")
    return raw.decode("utf-8")  # UnicodeDecodeError is a ValueError


def _encode(text):
    out = []
    for ch in text:
        if ch in _SAFE:
            out.append(ch)
        elif ch == " ":
            out.append("+")
        else:
            out.extend(f"%{b:02X}" for b in ch.encode("utf-8"))
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
            pairs.append(f"{_encode(name)}={_encode(value)}")
    return "&".join(pairs)
