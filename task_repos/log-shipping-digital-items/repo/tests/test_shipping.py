from decimal import Decimal

from orders.shipping import CartItem, needs_shipping, shipping_cost, shipping_weight

BOOK = CartItem("BOOK", 2, Decimal("0.45"))
LAMP = CartItem("LAMP", 1, Decimal("2.10"))
EBOOK = CartItem("EBOOK", 1, Decimal("0"), digital=True)


def test_weight_of_physical_cart():
    assert shipping_weight([BOOK, LAMP]) == Decimal("3.00")


def test_cost_of_physical_cart():
    assert shipping_cost([BOOK, LAMP]) == Decimal("8.50")


def test_digital_only_cart_ships_free():
    assert not needs_shipping([EBOOK])
    assert shipping_cost([EBOOK]) == Decimal("0.00")


def test_digital_item_after_physical_ones():
    assert shipping_weight([BOOK, LAMP, EBOOK]) == Decimal("3.00")


def test_empty_cart():
    assert shipping_cost([]) == Decimal("0.00")
