"""Cross-validation splits that keep groups together."""

import random


def group_kfold(groups, k, seed=0):
    """Split example indices into ``k`` folds without leaking groups.

    ``groups[i]`` is the group of example ``i`` (any hashable value; values of
    different types may be mixed, so do not sort them). Returns a list of
    ``k`` pairs ``(train, test)``, each a sorted list of ``int`` indices into
    ``groups``, such that:

    * every index is in the ``test`` list of exactly one fold, and each
      fold's ``train`` list holds every index not in its ``test`` list;
    * all examples of a group are in the same test fold, so no group is ever
      in both the train and the test list of a fold;
    * the numbers of distinct groups in the test lists of the folds differ by
      at most 1;
    * which groups go to which fold is chosen at random with a
      ``random.Random(seed)`` of its own: the same ``groups`` and ``seed`` always
      give the same folds (whatever the state of the global ``random`` module),
      and different seeds usually give different folds.

    Raises:
        ValueError: if ``k`` is less than 2 or greater than the number of
            distinct groups.
    """
    distinct = list(dict.fromkeys(groups))  # first-appearance order, no sorting
    if k < 2 or k > len(distinct):
        raise ValueError(f"k must be between 2 and {len(distinct)}, got {k}")
    random.Random(seed).shuffle(distinct)
    fold_of = {g: j % k for j, g in enumerate(distinct)}
    folds = []
    for f in range(k):
        test = [i for i, g in enumerate(groups) if fold_of[g] == f]
        train = [i for i, g in enumerate(groups) if fold_of[g] != f]
        folds.append((train, test))
    return folds
