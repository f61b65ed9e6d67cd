"""Builds the receipt e-mail (HTML and plain-text parts) for a paid order."""

from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote

from markupsafe import Markup

from receipts.money import display
from receipts.templates import render

SIGNATURE = Markup("<p>— The <b>Shop</b> team</p>")
TRACKING_BASE = "https://track.example.com/parcel/"


@dataclass(frozen=True)
class Line:
    name: str
    qty: int
    unit_price: Decimal


def receipt_email(
    customer: str,
    order_id: str,
    lines: list[Line],
    currency: str,
    note: str = "",
    tracking_code: str = "",
) -> dict[str, str]:
    """Return {'html': ..., 'text': ...}; customer name, note and item names are user input."""
    rendered = [
        {"name": line.name, "qty": line.qty, "total": display(line.unit_price * line.qty, currency)}
        for line in lines
    ]
    total = display(sum((line.unit_price * line.qty for line in lines), Decimal("0")), currency)
    context = {
        "customer": customer,
        "order_id": order_id,
        "lines": rendered,
        "total": total,
        "note": note,
        "tracking_url": TRACKING_BASE + quote(tracking_code, safe=""),
        "signature": SIGNATURE,
    }
    return {"html": render("receipt.html", **context), "text": render("receipt.txt", **context)}
