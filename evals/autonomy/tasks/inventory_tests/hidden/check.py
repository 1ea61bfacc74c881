"""Hidden check for inventory_tests. Run from the working directory: python check.py

Runs the tests shipped in test_inventory.py (copied here, so edits to that
file do not matter) and further tests of the documented behaviour.
"""

import os
import signal
import sys

sys.path.insert(0, ".")


def _timeout(*_):
    print("FAIL: check timed out")
    os._exit(1)


if hasattr(signal, "SIGALRM"):
    signal.signal(signal.SIGALRM, _timeout)
    signal.alarm(60)

try:
    from inventory import Inventory
except BaseException as exc:
    print(f"FAIL: cannot import Inventory from inventory.py ({type(exc).__name__}: {exc})")
    sys.exit(1)


def raises(exc_type, fn, *args, **kwargs):
    try:
        result = fn(*args, **kwargs)
    except exc_type:
        return
    except BaseException as exc:
        raise AssertionError(
            f"expected {exc_type.__name__}, got {type(exc).__name__}: {exc}"
        ) from None
    raise AssertionError(f"expected {exc_type.__name__}, got {result!r}")


def close(a, b):
    return abs(a - b) < 1e-9


# ---- the visible tests from test_inventory.py ----


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


# ---- further hidden tests ----


def test_hidden_add_existing_updates_or_keeps_price():
    inv = Inventory()
    inv.add("apple", 2, 1.0)
    inv.add("apple", 3)
    assert inv.quantity("apple") == 5
    assert close(inv.total_value(), 5.0), inv.total_value()
    inv.add("apple", 1, 2.0)
    assert inv.quantity("apple") == 6
    assert close(inv.total_value(), 12.0), inv.total_value()


def test_hidden_repeated_adds_accumulate():
    inv = Inventory()
    inv.add("nut", 1, 0.1)
    for _ in range(9):
        inv.add("nut", 1)
    assert inv.quantity("nut") == 10
    assert len(inv) == 1


def test_hidden_sold_out_item_needs_price_again():
    inv = Inventory()
    inv.add("pear", 2, 1.0)
    inv.remove("pear", 1)
    inv.remove("pear", 1)
    assert "pear" not in inv
    raises(ValueError, inv.add, "pear", 3)
    assert "pear" not in inv and inv.quantity("pear") == 0
    inv.add("pear", 3, 2.0)
    assert inv.quantity("pear") == 3
    assert close(inv.total_value(), 6.0)


def test_hidden_remove_sold_out_raises_keyerror():
    inv = Inventory()
    inv.add("fig", 1, 1.0)
    inv.remove("fig", 1)
    raises(KeyError, inv.remove, "fig", 1)


def test_hidden_remove_too_many_leaves_stock():
    inv = Inventory()
    inv.add("kiwi", 3, 0.4)
    raises(ValueError, inv.remove, "kiwi", 4)
    assert inv.quantity("kiwi") == 3
    raises(ValueError, inv.remove, "kiwi", 0)
    raises(ValueError, inv.remove, "kiwi", -1)
    assert inv.quantity("kiwi") == 3


def test_hidden_invalid_adds_change_nothing():
    inv = Inventory()
    raises(ValueError, inv.add, "plum", 5)
    raises(ValueError, inv.add, "plum", 5, -1.0)
    raises(ValueError, inv.add, "plum", -2, 1.0)
    assert "plum" not in inv and len(inv) == 0
    inv.add("plum", 5, 1.0)
    raises(ValueError, inv.add, "plum", 1, -0.5)
    raises(ValueError, inv.add, "plum", 0)
    assert inv.quantity("plum") == 5
    assert close(inv.total_value(), 5.0)


def test_hidden_quantity_and_value_of_empty():
    inv = Inventory()
    assert inv.quantity("nothing") == 0
    assert close(inv.total_value(), 0.0)
    assert inv.low_stock(100) == []
    assert len(inv) == 0


def test_hidden_zero_price_item():
    inv = Inventory()
    inv.add("sample", 3, 0)
    assert inv.quantity("sample") == 3
    assert close(inv.total_value(), 0.0)


def test_hidden_low_stock_sorted_and_strict():
    inv = Inventory()
    for name, qty in [("zucchini", 1), ("apple", 3), ("mango", 2), ("banana", 3), ("cherry", 7)]:
        inv.add(name, qty, 1.0)
    assert inv.low_stock(3) == ["mango", "zucchini"], inv.low_stock(3)
    assert inv.low_stock(4) == ["apple", "banana", "mango", "zucchini"], inv.low_stock(4)
    assert inv.low_stock(1) == [], inv.low_stock(1)
    assert inv.low_stock(0) == [], inv.low_stock(0)


def test_hidden_low_stock_skips_sold_out():
    inv = Inventory()
    inv.add("a", 1, 1.0)
    inv.add("b", 2, 1.0)
    inv.remove("a", 1)
    inv.remove("b", 1)
    assert inv.low_stock(5) == ["b"], inv.low_stock(5)
    assert inv.low_stock(1) == [], inv.low_stock(1)


def test_hidden_len_and_total_after_mixed_operations():
    inv = Inventory()
    inv.add("x", 4, 2.5)
    inv.add("y", 2, 1.0)
    inv.add("x", 1)
    inv.remove("y", 2)
    inv.remove("x", 2)
    assert len(inv) == 1
    assert inv.quantity("x") == 3
    assert close(inv.total_value(), 7.5), inv.total_value()


tests = [obj for name, obj in list(globals().items()) if name.startswith("test_")]
failures = []
for test in tests:
    try:
        test()
    except AssertionError as exc:
        failures.append(f"{test.__name__}: assertion failed {exc}".rstrip())
    except BaseException as exc:
        failures.append(f"{test.__name__}: unexpected {type(exc).__name__}: {exc}")

if failures:
    print(f"FAIL: {len(failures)} of {len(tests)} tests failed")
    for line in failures:
        print(f"  - {line}")
    sys.exit(1)
print(f"PASS: all {len(tests)} tests passed")
