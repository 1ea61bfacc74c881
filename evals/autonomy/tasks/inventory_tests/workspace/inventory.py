"""A small stock-keeping inventory."""


class Inventory:
    """Quantities and unit prices of items in stock, keyed by item name.

    Only items with a quantity of at least 1 are in the inventory: an item
    whose quantity drops to 0 is removed entirely, so it is no longer
    ``in`` the inventory, is not counted by ``len``, is not reported by
    ``low_stock``, and adding it again requires a unit price.
    """

    def __init__(self):
        self._items = {}  # name -> [quantity, unit_price]

    def add(self, name, qty, unit_price=None):
        """Add ``qty`` units of ``name``.

        For an item already in stock the quantity is increased by ``qty``; if
        ``unit_price`` is given it replaces the item's unit price, otherwise
        the price is kept. A new item needs a ``unit_price``.

        Raises:
            ValueError: if ``qty`` is less than 1, if ``unit_price`` is
                negative, or if ``name`` is a new item and no ``unit_price``
                is given. The inventory is unchanged when this is raised.
        """
        if qty < 1:
            raise ValueError("qty must be at least 1")
        if unit_price is not None and unit_price < 0:
            raise ValueError("unit_price must not be negative")
        if name in self._items:
            entry = self._items[name]
            entry[0] = qty
            if unit_price is not None:
                entry[1] = unit_price
        else:
            if unit_price is None:
                raise ValueError(f"new item {name!r} needs a unit_price")
            self._items[name] = [qty, unit_price]

    def remove(self, name, qty):
        """Take ``qty`` units of ``name`` out of stock.

        Raises:
            KeyError: if ``name`` is not in the inventory.
            ValueError: if ``qty`` is less than 1 or more than the quantity in
                stock. The inventory is unchanged when this is raised.
        """
        if name not in self._items:
            raise KeyError(name)
        if qty < 1:
            raise ValueError("qty must be at least 1")
        entry = self._items[name]
        if qty > entry[0]:
            raise ValueError(f"only {entry[0]} of {name!r} in stock")
        entry[0] -= qty

    def quantity(self, name):
        """Return the quantity of ``name`` in stock (0 for an unknown item)."""
        entry = self._items.get(name)
        return entry[0] if entry else 0

    def total_value(self):
        """Return the sum of quantity * unit price over all items (0 if empty)."""
        return sum(qty * price for qty, price in self._items.values())

    def low_stock(self, threshold):
        """Return the names of items whose quantity is strictly below ``threshold``.

        The names are sorted alphabetically. Items that are not in the
        inventory (including sold-out ones) are never reported.
        """
        return sorted(name for name, (qty, _) in self._items.items() if qty <= threshold)

    def __contains__(self, name):
        return name in self._items

    def __len__(self):
        """Return the number of distinct items in stock."""
        return len(self._items)
