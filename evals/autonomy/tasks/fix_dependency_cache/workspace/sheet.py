"""A tiny spreadsheet: constant cells, formula cells and a result cache."""


class Sheet:
    """Named cells holding constants or formulas, with cached formula results.

    * ``set_value(name, value)`` makes ``name`` a constant cell.
    * ``set_formula(name, fn, deps)`` makes ``name`` a formula cell whose value
      is ``fn(*values)``, ``values`` being the values of the cells named in the
      list ``deps``, in order. ``deps`` may name cells that are not defined
      yet. If the new formula would make a cell depend on itself (directly or
      through other cells), ``set_formula`` raises ValueError and leaves the
      sheet exactly as it was.
    * ``get(name)`` returns the value of cell ``name``. Raises KeyError if
      ``name``, or a cell it needs (directly or through other cells), is not
      defined.

    Caching rules. A formula's function is only ever called from inside
    ``get``, and only for the requested cell and the cells it needs. It is
    called again only if its cell has never been evaluated, or if since the
    cell's last evaluation the cell itself, or a cell it currently depends on
    (directly or through other cells), has been set by ``set_value`` or
    ``set_formula``. So reading a cell twice with no change in between calls
    no function the second time, and changing a cell never causes
    re-evaluation of cells that do not depend on it (any more).
    """

    def __init__(self):
        self._cells = {}  # name -> ("value", value) or ("formula", fn, deps)
        self._cache = {}  # formula cell name -> its cached value
        self._dependents = {}  # name -> names of the cells whose formulas use it

    def set_value(self, name, value):
        self._cells[name] = ("value", value)
        self._invalidate(name)

    def set_formula(self, name, fn, deps):
        deps = list(deps)
        self._cells[name] = ("formula", fn, deps)
        for dep in deps:
            self._dependents.setdefault(dep, set()).add(name)
        self._invalidate(name)

    def _invalidate(self, name):
        self._cache.pop(name, None)
        for dependent in self._dependents.get(name, ()):
            self._cache.pop(dependent, None)

    def get(self, name):
        cell = self._cells[name]
        if cell[0] == "value":
            return cell[1]
        if name not in self._cache:
            _, fn, deps = cell
            self._cache[name] = fn(*[self.get(dep) for dep in deps])
        return self._cache[name]
