from markupsafe import Markup

from reports.money import format_cents
from reports.queries import revenue_by_customer
from reports.service import customer_report


def test_format_cents():
    assert format_cents(1234567) == "12,345.67 EUR"
    assert format_cents(5, "USD") == "0.05 USD"
    assert format_cents(-250) == "-2.50 EUR"


def test_revenue_sorted_highest_first(conn, add_customer):
    add_customer("Ada", "ada@example.com", 500, 700)
    add_customer("Bob", "bob@example.com", 5000)
    add_customer("Cy", "cy@example.com")
    rows = revenue_by_customer(conn)
    assert [(r.name, r.order_count, r.revenue_cents) for r in rows] == [
        ("Bob", 1, 5000), ("Ada", 2, 1200), ("Cy", 0, 0),
    ]


def test_report_contains_rows(conn, add_customer):
    add_customer("Ada", "ada@example.com", 123456)
    html = customer_report(conn, "Q2 revenue")
    assert "<h1>Q2 revenue</h1>" in html
    assert "<td>Ada</td>" in html
    assert "1,234.56 EUR" in html
    assert 'href="mailto:ada@example.com"' in html


def test_footer_html_is_kept(conn):
    html = customer_report(conn, "Empty", footer=Markup("<em>internal</em>"))
    assert "<footer><em>internal</em></footer>" in html
