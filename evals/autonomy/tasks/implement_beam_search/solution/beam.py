"""Beam search decoding."""


def _rank_key(hypothesis):
    tokens, score = hypothesis
    return (-score, tokens)


def beam_search(step_fn, beam_width, max_len, eos):
    """Beam search over a toy language model.

    ``step_fn(prefix)`` takes a tuple of tokens generated so far (``()`` at the
    start) and returns a dict mapping each possible next token to its
    log-probability (a finite float). A hypothesis is a pair ``(tokens, score)``:
    a tuple of tokens and the sum of their log-probabilities, accumulated as
    ``score + logprob`` one token at a time from 0.0.

    The algorithm:

    1. ``beams = [((), 0.0)]`` and ``finished = []``.
    2. Repeat at most ``max_len`` times, stopping early as soon as ``beams``
       is empty:

       a. The candidates are ``(tokens + (tok,), score + logprob)`` for every
          beam ``(tokens, score)`` and every ``tok, logprob`` in
          ``step_fn(tokens).items()``.
       b. Rank the candidates by score, highest first; candidates with equal
          scores are ordered by their token tuples, in ascending order.
       c. Keep the first ``beam_width`` candidates. Those whose last token is
          ``eos`` are appended to ``finished``; the others, in ranked order,
          become the new ``beams``.

    3. Append every remaining beam to ``finished``.

    ``step_fn`` is therefore only called with the token tuples of beams, never
    with one that ends with ``eos``.

    Returns:
        ``finished`` as a list of ``(tokens, score)`` pairs (``tokens`` a tuple),
        sorted by score, highest first, ties by token tuple, ascending.

    Raises:
        ValueError: if ``beam_width`` or ``max_len`` is less than 1.
    """
    if beam_width < 1 or max_len < 1:
        raise ValueError("beam_width and max_len must be at least 1")
    beams = [((), 0.0)]
    finished = []
    for _ in range(max_len):
        if not beams:
            break
        candidates = [(tokens + (tok,), score + logprob)
                      for tokens, score in beams
                      for tok, logprob in step_fn(tokens).items()]
        candidates.sort(key=_rank_key)
        beams = []
        for hypothesis in candidates[:beam_width]:
            (finished if hypothesis[0][-1] == eos else beams).append(hypothesis)
    finished.extend(beams)
    finished.sort(key=_rank_key)
    return finished
