from decimal import Decimal

from orders.shipping import CartItem, shipping_cost, shipping_weight

BOOK = CartItem("BOOK", 2, Decimal("0.45"))
LAMP = CartItem("LAMP", 1, Decimal("2.10"))
EBOOK = CartItem("EBOOK", 1, Decimal("0"), digital=True)
GIFT_CARD = CartItem("GIFT", 3, Decimal("0.01"), digital=True)


def test_digital_item_first():
    assert shipping_weight([EBOOK, BOOK, LAMP]) == Decimal("3.00")


def test_digital_item_in_the_middle():
    assert shipping_weight([BOOK, EBOOK, LAMP]) == Decimal("3.00")


def test_cost_with_digital_item_first():
    assert shipping_cost([GIFT_CARD, LAMP]) == Decimal("7.42")


def test_digital_items_never_add_weight():
    assert shipping_weight([GIFT_CARD, BOOK, GIFT_CARD]) == Decimal("0.90")
