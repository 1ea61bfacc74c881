"""Classification metrics: confusion matrix, precision, recall and F1."""


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
    raise NotImplementedError


def precision_recall_f1(y_true, y_pred, positive):
    """Return ``(precision, recall, f1)`` of class ``positive`` as floats.

    With ``tp``, ``fp`` and ``fn`` the true positives, false positives and
    false negatives of that class: ``precision = tp / (tp + fp)``,
    ``recall = tp / (tp + fn)``, ``f1 = 2 * tp / (2 * tp + fp + fn)``. Any
    ratio whose denominator is 0 is 0.0.

    Raises:
        ValueError: as for ``confusion_matrix``.
    """
    raise NotImplementedError


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
    raise NotImplementedError
