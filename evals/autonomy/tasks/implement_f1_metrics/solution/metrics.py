"""Classification metrics: confusion matrix, precision, recall and F1."""


def _check(y_true, y_pred):
    if len(y_true) != len(y_pred):
        raise ValueError("y_true and y_pred differ in length")
    if len(y_true) == 0:
        raise ValueError("no examples")


def _ratio(num, den):
    return num / den if den else 0.0


def confusion_matrix(y_true, y_pred, labels=None):
    """Return the confusion matrix as a list of lists of ints.

    ``labels`` is the list of classes to report, in order; by default it is
    ``sorted(set(y_true) | set(y_pred))``. Entry ``[i][j]`` counts the
    examples whose true label is ``labels[i]`` and predicted label is
    ``labels[j]``; examples whose true or predicted label is not in
    ``labels`` are not counted.

    Raises:
        ValueError: if ``y_true`` and ``y_pred`` differ in length or are empty.
    """
    _check(y_true, y_pred)
    if labels is None:
        labels = sorted(set(y_true) | set(y_pred))
    index = {label: i for i, label in enumerate(labels)}
    matrix = [[0] * len(labels) for _ in labels]
    for t, p in zip(y_true, y_pred):
        if t in index and p in index:
            matrix[index[t]][index[p]] += 1
    return matrix


def _counts(y_true, y_pred, label):
    tp = sum(1 for t, p in zip(y_true, y_pred) if t == label and p == label)
    fp = sum(1 for t, p in zip(y_true, y_pred) if t != label and p == label)
    fn = sum(1 for t, p in zip(y_true, y_pred) if t == label and p != label)
    return tp, fp, fn


def precision_recall_f1(y_true, y_pred, positive):
    """Return ``(precision, recall, f1)`` of class ``positive`` as floats.

    With ``tp``, ``fp`` and ``fn`` the true positives, false positives and
    false negatives of that class: ``precision = tp / (tp + fp)``,
    ``recall = tp / (tp + fn)``, ``f1 = 2 * tp / (2 * tp + fp + fn)``. Any
    ratio whose denominator is 0 is 0.0.

    Raises:
        ValueError: as for ``confusion_matrix``.
    """
    _check(y_true, y_pred)
    tp, fp, fn = _counts(y_true, y_pred, positive)
    return _ratio(tp, tp + fp), _ratio(tp, tp + fn), _ratio(2 * tp, 2 * tp + fp + fn)


def f1_score(y_true, y_pred, average="macro", labels=None):
    """Return the F1 score averaged over classes, as a float.

    ``labels`` defaults as in ``confusion_matrix``.

    * ``"macro"``: the unweighted mean of the per-class F1 of ``labels``.
    * ``"weighted"``: the mean of the per-class F1 weighted by each class's
      number of true examples (its support); 0.0 if the supports sum to 0.
    * ``"micro"``: ``2 * TP / (2 * TP + FP + FN)`` where TP, FP and FN are
      summed over the classes in ``labels``; 0.0 if the denominator is 0.

    Raises:
        ValueError: as for ``confusion_matrix``, or if ``average`` is not one
            of "macro", "micro", "weighted", or ``labels`` is given but empty.
    """
    _check(y_true, y_pred)
    if average not in ("macro", "micro", "weighted"):
        raise ValueError(f"unknown average {average!r}")
    if labels is None:
        labels = sorted(set(y_true) | set(y_pred))
    elif len(labels) == 0:
        raise ValueError("labels is empty")
    counts = [_counts(y_true, y_pred, label) for label in labels]
    if average == "micro":
        tp = sum(c[0] for c in counts)
        fp = sum(c[1] for c in counts)
        fn = sum(c[2] for c in counts)
        return _ratio(2 * tp, 2 * tp + fp + fn)
    scores = [_ratio(2 * tp, 2 * tp + fp + fn) for tp, fp, fn in counts]
    if average == "macro":
        return sum(scores) / len(scores)
    supports = [tp + fn for tp, _, fn in counts]
    return _ratio(sum(s * w for s, w in zip(scores, supports)), sum(supports))
