"""Reading a JSON array an item at a time: the same items as `json.loads`, whatever the chunk
boundaries cut, and a ValueError for anything that is not one JSON array."""

from __future__ import annotations

import io
import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from registry import json_stream
from registry.json_stream import json_array_items

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=12)


def items(data: bytes, chunk_bytes: int) -> list:
    return list(json_array_items(io.BytesIO(data), chunk_bytes))


def same(a: object, b: object) -> bool:
    """Equal as JSON values, NaN equal to NaN."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


@given(st.lists(json_values, max_size=8), st.sampled_from([0, 2]), st.integers(1, 64),
       st.booleans())
def test_items_are_what_json_loads_reads_wherever_the_chunks_end(values, indent, chunk, ascii_):
    data = json.dumps(values, indent=indent or None, ensure_ascii=ascii_).encode()
    assert same(items(data, chunk), json.loads(data))


@pytest.mark.parametrize("data", [b"[3.5e10]", b"[12345, 6]", b"[-Infinity]", b"[true, 1e-7]"])
def test_a_number_cut_at_a_chunks_end_is_read_whole(data):
    for chunk in range(1, len(data) + 1):
        assert items(data, chunk) == json.loads(data)


@pytest.mark.parametrize("data", [
    b"", b"{}", b"[1,]", b"[,1]", b"[1 2]", b"[1", b"[1,", b"[1] x", b'[{"a":}]', b'["abc]',
    b"[1x]", "[\"\u00e9\"]".encode("latin-1")])
def test_what_is_not_one_json_array_is_a_value_error(data):
    for chunk in (1, 3, 1 << 20):
        with pytest.raises(ValueError):
            items(data, chunk)


def test_an_error_names_its_place_in_the_whole_stream_not_in_the_last_chunk():
    data = b"[" + b'"x", ' * 1000 + b'{"a" 1}]'
    where = data.index(b"1}")  # the decoder stops where the ':' should be
    with pytest.raises(ValueError, match=f"Expecting ':' delimiter: character {where}$"):
        items(data, chunk_bytes=64)


def test_an_item_that_never_ends_is_refused_before_it_is_read_to_the_end(monkeypatch):
    monkeypatch.setattr(json_stream, "MAX_ITEM_CHARS", 100)
    stream = io.BytesIO(b'["' + b"x" * 10_000)
    reader = json_array_items(stream, chunk_bytes=10)
    with pytest.raises(ValueError, match="runs past 100 characters"):
        next(reader)
    assert stream.tell() < 1000  # it stopped reading near the limit
