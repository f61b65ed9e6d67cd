"""Plain-text rendering of invoices for e-mail."""

from decimal import Decimal

from billing.invoice import Invoice


def money(amount: Decimal, currency: str = "EUR") -> str:
    return f"{amount:,.2f} {currency}"


def render_invoice(invoice: Invoice, currency: str = "EUR") -> str:
    """Aligned invoice summary, one line per amount."""
    rows = [
        (f"{invoice.plan.name} x {invoice.seats} seats", invoice.subtotal),
        ("Discount", -invoice.discount),
        ("Tax", invoice.tax),
        ("Total", invoice.total),
    ]
    header = f"Period {invoice.period_start.isoformat()} to {invoice.period_end.isoformat()}"
    lines = [header]
    for label, amount in rows:
        if label == "Discount" and not amount:
            continue
        lines.append("%-28s %16s" % (label, money(amount, currency)))
    return "\n".join(lines)
