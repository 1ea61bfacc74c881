"""Tests for inventory.py. Run with: python test_inventory.py"""

import sys

from inventory import Inventory


def test_add_new_item():
    inv = Inventory()
    inv.add("apple", 10, 0.5)
    assert inv.quantity("apple") == 10
    assert "apple" in inv
    assert len(inv) == 1


def test_add_existing_item_increases_quantity():
    inv = Inventory()
    inv.add("apple", 10, 0.5)
    inv.add("apple", 5)
    assert inv.quantity("apple") == 15


def test_remove_some():
    inv = Inventory()
    inv.add("apple", 10, 0.5)
    inv.remove("apple", 3)
    assert inv.quantity("apple") == 7


def test_remove_everything_removes_item():
    inv = Inventory()
    inv.add("pear", 4, 1.25)
    inv.remove("pear", 4)
    assert inv.quantity("pear") == 0
    assert "pear" not in inv
    assert len(inv) == 0


def test_total_value():
    inv = Inventory()
    inv.add("apple", 10, 0.5)
    inv.add("pear", 4, 1.25)
    assert abs(inv.total_value() - 10.0) < 1e-9


def test_low_stock():
    inv = Inventory()
    inv.add("plum", 2, 0.3)
    inv.add("fig", 5, 0.8)
    inv.add("kiwi", 9, 0.4)
    assert inv.low_stock(5) == ["plum"]


def test_errors():
    inv = Inventory()
    try:
        inv.remove("ghost", 1)
    except KeyError:
        pass
    else:
        raise AssertionError("removing an unknown item should raise KeyError")
    try:
        inv.add("apple", 0, 0.5)
    except ValueError:
        pass
    else:
        raise AssertionError("adding a quantity of 0 should raise ValueError")


if __name__ == "__main__":
    tests = [obj for name, obj in sorted(globals().items()) if name.startswith("test_")]
    failed = 0
    for test in tests:
        try:
            test()
        except Exception as exc:
            failed += 1
            print(f"FAIL {test.__name__}: {type(exc).__name__}: {exc}")
        else:
            print(f"ok   {test.__name__}")
    print(f"{len(tests) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
