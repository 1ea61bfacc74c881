"""Validate nested configurations against a small schema language.

``validate(config, schema)`` returns ``(normalized, errors)``.

A *schema* describes one value. It is a dict with these keys:

* ``"type"`` (required): one of ``"int"``, ``"float"``, ``"str"``, ``"bool"``,
  ``"list"``, ``"dict"``.
* ``"min"`` / ``"max"`` (int and float only): inclusive bounds.
* ``"choices"``: a list of the allowed values.
* ``"items"`` (list only): the schema of every element.
* ``"fields"`` (dict only): a dict mapping each known key to its schema.
* ``"extra"`` (dict only): if True, keys not in ``"fields"`` are allowed and
  kept unchanged; by default they are errors.
* ``"required"`` (inside ``"fields"``): whether the key must be present;
  default True. A field with a ``"default"`` is never required.
* ``"default"``: the value used when the key is missing (a deep copy of it,
  not validated).

Type rules: a ``bool`` is only accepted by ``"bool"`` (it is not an int);
an ``int`` is accepted by ``"int"`` and by ``"float"``, which turns it into a
float in the normalized result; a ``float`` only by ``"float"``; ``str`` by
``"str"``, ``list`` by ``"list"`` and ``dict`` by ``"dict"``.

Checks on a value run in this order and stop at the first that fails: type,
then ``min``, then ``max``, then ``choices``; then the elements of a list or
the fields of a dict are checked (in any order). All errors are collected.

Each error is a string ``"<path>: <message>"``. The path of the whole config
is ``$``; a dict key ``k`` adds ``.k`` and a list index ``i`` adds ``[i]``, as in
``$.layers[2].units``. The messages are exactly:

* ``missing required field`` (the path is that of the missing key),
* ``unknown field``,
* ``expected <type>``, e.g. ``expected float``,
* ``must be >= <min>`` and ``must be <= <max>``, with the bound written
  with ``repr()``, e.g. ``must be >= 0.001``,
* ``must be one of <choices>``, with the list written with ``repr()``, e.g.
  ``must be one of ['adam', 'sgd']``.

Returns:
    ``(None, errors)`` with the errors sorted as strings if there is any
    error; otherwise ``(normalized, [])`` where ``normalized`` is a new
    structure (the input is never modified): defaults filled in, ints
    converted to floats where the schema says ``"float"``, and extra keys
    kept where allowed.
"""


def validate(config, schema):
    """Validate ``config`` against ``schema`` (see the module docstring)."""
    raise NotImplementedError("validate is not implemented yet")
