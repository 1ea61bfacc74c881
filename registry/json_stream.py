"""The items of a JSON array read one at a time from a byte stream.

Each item is parsed by the standard library's decoder, so items read exactly as `json.loads`
reads them (NaN and Infinity included, which Inspect writes for such scores and strict
streaming parsers reject), while only about one chunk of the stream and one item are held,
however long the array.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from typing import IO, Any

CHUNK_BYTES = 1 << 20
# No item of a well-formed array comes near this (an Inspect sample summary is a few KiB): a
# stream that never completes an item is refused here, not read into memory to its end.
MAX_ITEM_CHARS = 64 << 20
_NOT_SPACE = re.compile(r"[^ \t\n\r]")
_AFTER_ITEM = frozenset(" \t\n\r,]")


class _Text:
    """The stream as text, decoded a chunk at a time, with a read position."""

    def __init__(self, stream: IO[bytes], chunk_bytes: int) -> None:
        self.stream = stream
        self.chunk_bytes = chunk_bytes
        self.utf8 = codecs.getincrementaldecoder("utf-8")()
        self.buf, self.pos, self.eof = "", 0, False
        self.dropped = 0  # characters consumed and dropped before `buf`

    def fill(self) -> None:
        """Read the next chunk, dropping what is already consumed."""
        chunk = self.stream.read(self.chunk_bytes)
        self.eof = not chunk
        self.dropped += self.pos
        self.buf = self.buf[self.pos:] + self.utf8.decode(chunk, final=self.eof)
        self.pos = 0

    def next_char(self) -> str:
        """The next character that is not JSON whitespace, consumed; "" at the end."""
        while True:
            found = _NOT_SPACE.search(self.buf, self.pos)
            if found:
                self.pos = found.end()
                return found.group()
            self.pos = len(self.buf)
            if self.eof:
                return ""
            self.fill()


def json_array_items(stream: IO[bytes], chunk_bytes: int = CHUNK_BYTES) -> Iterator[Any]:
    """Each item of the JSON array that is the whole of `stream`, in order; a ValueError
    (json.JSONDecodeError for bad JSON) where the stream is not one."""
    decoder = json.JSONDecoder()
    text = _Text(stream, chunk_bytes)
    if text.next_char() != "[":
        raise ValueError("not a JSON array")
    following = text.next_char()
    while following != "]":
        if not following:
            raise ValueError("the JSON array is not closed")
        text.pos -= 1  # back to the item's first character
        item, text.pos = _decode_item(decoder, text)
        yield item
        separator = text.next_char()
        if separator == "]":
            break
        if separator != ",":
            raise ValueError(f"expected ',' or ']' after an array item, found {separator!r}")
        following = text.next_char()
        if following == "]":
            raise ValueError("a ',' before the end of the JSON array")
    if text.next_char():
        raise ValueError("data after the end of the JSON array")


def _decode_item(decoder: json.JSONDecoder, text: _Text) -> tuple[Any, int]:
    """The item starting at the read position and the position after it, reading on until the
    item is complete: until what follows it is in the text too, since a number cut at a chunk's
    end ("3." of "3.5") parses, wrongly, as a shorter one."""
    while True:
        try:
            item, end = decoder.raw_decode(text.buf, text.pos)
            if text.eof or (end < len(text.buf) and text.buf[end] in _AFTER_ITEM):
                return item, end
        except json.JSONDecodeError as exc:
            if text.eof:  # its line and column count from the buffer, not the stream
                raise ValueError(f"{exc.msg}: character {text.dropped + exc.pos}") from None
        if len(text.buf) - text.pos > MAX_ITEM_CHARS:
            raise ValueError(f"an array item runs past {MAX_ITEM_CHARS} characters")
        text.fill()
