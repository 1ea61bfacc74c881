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
_SPECIAL = '.[]"\\'


def parse_path(path):
    """Return the list of steps of ``path`` (see the module docstring)."""
    steps = []
    i, n = 0, len(path)
    while i < n:
        if path[i] == "[":
            if path.startswith('["', i):
                j, key = i + 2, []
                while True:
                    if j >= n:
                        raise ValueError(f"unterminated quoted key in {path!r}")
                    c = path[j]
                    if c == "\\":
                        if j + 1 < n and path[j + 1] in '"\\':
                            key.append(path[j + 1])
                            j += 2
                            continue
                        raise ValueError(f"bad escape in {path!r}")
                    if c == '"':
                        break
                    key.append(c)
                    j += 1
                if not path.startswith('"]', j):
                    raise ValueError(f"bad quoted key in {path!r}")
                steps.append("".join(key))
                i = j + 2
            else:
                j = path.find("]", i)
                text = path[i + 1:j] if j != -1 else ""
                digits = text[1:] if text.startswith("-") else text
                if j == -1 or not digits or not all(c in "0123456789" for c in digits):
                    raise ValueError(f"bad index in {path!r}")
                steps.append(int(text))
                i = j + 1
        else:
            if steps:
                if path[i] != ".":
                    raise ValueError(f"expected '.' or '[' at {i} in {path!r}")
                i += 1
            j = i
            while j < n and path[j] not in _SPECIAL:
                j += 1
            if j == i:
                raise ValueError(f"empty key at {i} in {path!r}")
            steps.append(path[i:j])
            i = j
    return steps


def _step(current, step):
    """Follow one step, or raise LookupError/TypeError."""
    if isinstance(step, str):
        if not isinstance(current, dict):
            raise TypeError(f"key step {step!r} on a {type(current).__name__}")
        return current[step]
    if not isinstance(current, list):
        raise TypeError(f"index step {step} on a {type(current).__name__}")
    if not -len(current) <= step < len(current):
        raise IndexError(step)
    return current[step]


def get_path(obj, path, default=MISSING):
    """Return the value at ``path`` inside ``obj`` (see the module docstring)."""
    current = obj
    for step in parse_path(path):
        try:
            current = _step(current, step)
        except (LookupError, TypeError):
            if default is MISSING:
                raise KeyError(path) from None
            return default
    return current


def set_path(obj, path, value):
    """Set the value at ``path`` inside ``obj`` (see the module docstring)."""
    steps = parse_path(path)
    if not steps:
        raise ValueError("cannot set the root")
    current = obj
    for step, following in zip(steps, steps[1:]):
        if isinstance(step, str) and isinstance(current, dict) and step not in current:
            current[step] = {} if isinstance(following, str) else []
        current = _step(current, step)
    last = steps[-1]
    if isinstance(last, str):
        if not isinstance(current, dict):
            raise TypeError(f"key step {last!r} on a {type(current).__name__}")
        current[last] = value
    else:
        if not isinstance(current, list):
            raise TypeError(f"index step {last} on a {type(current).__name__}")
        if last == len(current):
            current.append(value)
        elif -len(current) <= last < len(current):
            current[last] = value
        else:
            raise IndexError(last)
