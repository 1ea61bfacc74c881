"""Helpers for grouping examples into batches."""


def batched(items, size, drop_last=False):
    """Group ``items`` (any iterable, e.g. a generator) into lists of ``size``.

    Returns a list of lists: consecutive chunks of ``size`` items in their
    original order. The last chunk may be shorter; it is left out when
    ``drop_last`` is True. No items gives ``[]``.

    Raises:
        ValueError: if ``size`` is less than 1.
    """
    if size < 1:
        raise ValueError("size must be at least 1")
    batches, current = [], []
    for item in items:
        current.append(item)
        if len(current) == size:
            batches.append(current)
            current = []
    if current and not drop_last:
        batches.append(current)
    return batches


def pad_batch(seqs, pad_value=0, max_len=None, side="right"):
    """Pad sequences to a common length.

    Each sequence in ``seqs`` is first cut to its first ``max_len`` items if
    ``max_len`` is given. The target length is the length of the longest
    (cut) sequence, and every sequence is filled up to it with ``pad_value``,
    after its items for ``side="right"`` and before them for ``side="left"``.

    Returns:
        ``(padded, lengths)``: ``padded`` is a list of new lists, ``lengths``
        the list of the (cut) lengths before padding. No sequences gives
        ``([], [])``.

    Raises:
        ValueError: if ``side`` is not "left" or "right", or ``max_len`` is
            given and less than 1.
    """
    if side not in ("left", "right"):
        raise ValueError("side must be 'left' or 'right'")
    if max_len is not None and max_len < 1:
        raise ValueError("max_len must be at least 1")
    seqs = [list(s) if max_len is None else list(s)[:max_len] for s in seqs]
    lengths = [len(s) for s in seqs]
    target = max(lengths, default=0)
    padded = []
    for s in seqs:
        fill = [pad_value] * (target - len(s))
        padded.append(s + fill if side == "right" else fill + s)
    return padded, lengths
