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

import copy


def _type_ok(value, kind):
    if kind == "bool":
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False
    if kind == "int":
        return isinstance(value, int)
    if kind == "float":
        return isinstance(value, (int, float))
    return isinstance(value, {"str": str, "list": list, "dict": dict}[kind])


def _check(value, schema, path, errors):
    kind = schema["type"]
    if not _type_ok(value, kind):
        errors.append(f"{path}: expected {kind}")
        return None
    if kind == "float":
        value = float(value)
    if "min" in schema and value < schema["min"]:
        errors.append(f"{path}: must be >= {schema['min']!r}")
        return None
    if "max" in schema and value > schema["max"]:
        errors.append(f"{path}: must be <= {schema['max']!r}")
        return None
    if "choices" in schema and value not in schema["choices"]:
        errors.append(f"{path}: must be one of {schema['choices']!r}")
        return None
    if kind == "list" and "items" in schema:
        return [_check(item, schema["items"], f"{path}[{i}]", errors) for i, item in enumerate(value)]
    if kind == "dict":
        fields = schema.get("fields", {})
        out = {}
        for key, sub in fields.items():
            if key in value:
                out[key] = _check(value[key], sub, f"{path}.{key}", errors)
            elif "default" in sub:
                out[key] = copy.deepcopy(sub["default"])
            elif sub.get("required", True):
                errors.append(f"{path}.{key}: missing required field")
        for key in value:
            if key not in fields:
                if schema.get("extra", False):
                    out[key] = copy.deepcopy(value[key])
                else:
                    errors.append(f"{path}.{key}: unknown field")
        return out
    return copy.deepcopy(value)


def validate(config, schema):
    """Validate ``config`` against ``schema`` (see the module docstring)."""
    errors = []
    normalized = _check(config, schema, "$", errors)
    if errors:
        return None, sorted(errors)
    return normalized, []
