"""Byte-pair encoding (BPE) on characters."""


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
    raise NotImplementedError("train_bpe is not implemented yet")


def encode(word, merges):
    """Split ``word`` into tokens with the ``merges`` returned by ``train_bpe``.

    Start from the tuple of the word's characters. While some adjacent pair of
    symbols is in ``merges``, take the pair that comes earliest in ``merges``
    and apply it as in training (left to right, no overlaps, every
    occurrence). Return the symbols as a list of strings ("" gives []).
    """
    raise NotImplementedError("encode is not implemented yet")
