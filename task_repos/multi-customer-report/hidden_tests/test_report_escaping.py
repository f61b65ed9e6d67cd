from markupsafe import Markup

from reports.service import customer_report


def test_customer_name_is_escaped(conn, add_customer):
    add_customer("<script>alert(1)</script>", "x@example.com", 100)
    html = customer_report(conn, "Revenue")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_email_cannot_break_out_of_attribute(conn, add_customer):
    add_customer("Eve", 'eve@example.com" onmouseover="steal()', 100)
    html = customer_report(conn, "Revenue")
    assert 'onmouseover="steal()"' not in html
    assert "&#34;" in html


def test_title_is_escaped(conn):
    html = customer_report(conn, "<img src=x onerror=alert(1)>")
    assert "<img src=x" not in html


def test_ampersand_in_name(conn, add_customer):
    add_customer("Ada & Co", "ada@example.com", 100)
    assert "<td>Ada &amp; Co</td>" in customer_report(conn, "Revenue")


def test_trusted_footer_still_rendered(conn, add_customer):
    add_customer("Ada", "ada@example.com", 100)
    html = customer_report(conn, "Revenue", footer=Markup('<a href="/help">Help</a>'))
    assert '<footer><a href="/help">Help</a></footer>' in html
