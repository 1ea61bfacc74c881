"""Byte-pair encoding (BPE) on characters."""

from collections import Counter


def _apply(symbols, pair):
    out, i = [], 0
    while i < len(symbols):
        if i + 1 < len(symbols) and (symbols[i], symbols[i + 1]) == pair:
            out.append(symbols[i] + symbols[i + 1])
            i += 2
        else:
            out.append(symbols[i])
            i += 1
    return tuple(out)


def train_bpe(word_counts, num_merges, min_frequency=2):
    """Learn byte-pair-encoding merges from ``word_counts`` (word -> positive int).

    Every word starts as the tuple of its characters. Then, up to
    ``num_merges`` times:

    1. Count every pair of adjacent symbols in every word, weighting each
       occurrence by the word's count. Overlapping occurrences all count: the
       word ``"aaa"`` with count 5 contributes 10 to the pair ``("a", "a")``.
    2. Pick the pair with the highest count; among pairs with equal counts,
       pick the smallest pair in Python's tuple ordering (so ``("a", "b")``
       beats ``("a", "c")`` and ``("b", "a")``). Stop if there are no pairs or
       the highest count is below ``min_frequency``.
    3. Record the pair and apply it to every word: scanning each word left to
       right, replace every occurrence of the two symbols with their
       concatenation, skipping occurrences that overlap one already replaced
       (``("a", "a", "a")`` becomes ``("aa", "a")``).

    Returns:
        The list of merges, in the order learned, each a pair of strings.
    """
    words = {tuple(word): count for word, count in word_counts.items()}
    merges = []
    for _ in range(num_merges):
        pairs = Counter()
        for symbols, count in words.items():
            for pair in zip(symbols, symbols[1:]):
                pairs[pair] += count
        if not pairs:
            break
        best = min(pairs, key=lambda p: (-pairs[p], p))
        if pairs[best] < min_frequency:
            break
        merges.append(best)
        merged = Counter()
        for symbols, count in words.items():
            merged[_apply(symbols, best)] += count
        words = merged
    return merges


def encode(word, merges):
    """Split ``word`` into tokens with the ``merges`` returned by ``train_bpe``.

    Start from the tuple of the word's characters. While some adjacent pair of
    symbols is in ``merges``, take the pair that comes earliest in ``merges``
    and apply it as in training (left to right, no overlaps, every
    occurrence). Return the symbols as a list of strings ("" gives []).
    """
    rank = {pair: i for i, pair in enumerate(merges)}
    symbols = tuple(word)
    while True:
        present = [p for p in zip(symbols, symbols[1:]) if p in rank]
        if not present:
            return list(symbols)
        symbols = _apply(symbols, min(present, key=rank.__getitem__))
