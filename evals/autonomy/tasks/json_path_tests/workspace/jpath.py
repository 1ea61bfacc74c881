"""Address values inside nested dicts and lists with path strings.

Path syntax. A path is a sequence of steps; ``""`` is the empty path (the
root itself). Steps are written one after another:

* a *key* step: a name made of one or more characters other than ``.``,
  ``[``, ``]``, ``"`` and backslash. The first step is written bare (``a``);
  every later key step is written after a dot (``a.b``);
* an *index* step: ``[`` an optional ``-`` and one or more ASCII digits ``]``,
  e.g. ``[0]`` or ``[-1]``, with no dot before it (``a[0]``, ``[2][0]``);
* a *quoted key* step: ``["`` text ``"]``, again with no dot before it, for
  keys that contain special characters or are empty: inside the quotes,
  ``\\"`` stands for ``"`` and ``\\\\`` for a backslash; any other backslash, or a
  raw ``"``, is an error.

Anything else is malformed: for example ``a..b``, ``.a``, ``a.``, ``a.[0]``,
``[]``, ``[1.5]``, ``[ 1]``, ``[+1]``, ``[0]x``, ``a[0`` or ``["a``.

``parse_path(path)`` returns the list of steps: ``str`` for keys (quoted or
not) and ``int`` for indices, e.g. ``parse_path('a.b[-1]["x.y"]')`` is
``["a", "b", -1, "x.y"]``. Raises ValueError for a malformed path.

``get_path(obj, path, default=MISSING)`` follows the steps from ``obj``. A key
step needs a dict that has that key; an index step needs a list (not a
string or tuple) and an index ``i`` with ``-len <= i < len`` (negative
indices count from the end). If a step cannot be followed, ``default`` is
returned if it was given, else KeyError is raised. A malformed path raises
ValueError either way.

``set_path(obj, path, value)`` sets the value at ``path`` inside ``obj``, in
place, and returns None. Every step but the last is followed as in
``get_path``, except that a key missing from a dict is created, holding a new
``{}`` if the next step is a key step and a new ``[]`` if it is an index step.
The last step then sets the value: a key step sets (or adds) the key in a
dict; an index step replaces an existing element of a list (negative indices
allowed), or appends when the index equals the list's length. Errors:
ValueError for a malformed or empty path; TypeError when a key step meets
something that is not a dict, or an index step something that is not a
list; IndexError for an index that is out of range and is not the length.
"""

MISSING = object()


def parse_path(path):
    """Return the list of steps of ``path`` (see the module docstring)."""
    if path == "":
        return []
    steps = []
    for part in path.split("."):
        if "[" in part:
            name, rest = part.split("[", 1)
            if name:
                steps.append(name)
            for index in rest.split("["):
                index = index.rstrip("]")
                steps.append(int(index) if index.isdigit() else index.strip('"'))
        else:
            steps.append(part)
    return steps


def get_path(obj, path, default=MISSING):
    """Return the value at ``path`` inside ``obj`` (see the module docstring)."""
    current = obj
    for step in parse_path(path):
        try:
            current = current[step]
        except (KeyError, IndexError, TypeError):
            if default is MISSING:
                raise KeyError(path) from None
            return None
    return current


def set_path(obj, path, value):
    """Set the value at ``path`` inside ``obj`` (see the module docstring)."""
    steps = parse_path(path)
    current = obj
    for step in steps[:-1]:
        current = current[step]
    current[steps[-1]] = value
