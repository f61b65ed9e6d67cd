from decimal import Decimal

from receipts.money import display
from receipts.service import Line, receipt_email


def test_display():
    assert display(Decimal("1234.5"), "EUR") == "€1,234.50"
    assert display(Decimal("0.005"), "USD") == "$0.01"
    assert display(Decimal("3"), "CHF") == "CHF 3.00"


def order(**kwargs):
    lines = [Line("Mug", 2, Decimal("8.50")), Line("Tea", 1, Decimal("4.99"))]
    return receipt_email("Ada", "A-1001", lines, "EUR", **kwargs)


def test_html_receipt():
    html = order()["html"]
    assert "<h1>Thanks for your order, Ada!</h1>" in html
    assert "<td>Mug</td><td>2</td><td>€17.00</td>" in html
    assert "<strong>€21.99</strong>" in html
    assert "<blockquote>" not in html


def test_text_receipt():
    text = order()["text"]
    assert "2 x Mug: €17.00" in text
    assert text.strip().endswith("Total: €21.99")


def test_signature_markup_rendered():
    assert "<p>— The <b>Shop</b> team</p>" in order()["html"]
