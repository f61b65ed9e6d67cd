from decimal import Decimal

from receipts.service import Line, receipt_email


def make(customer="Ada", note="", item="Mug", tracking=""):
    return receipt_email(customer, "A-1", [Line(item, 1, Decimal("1"))], "EUR", note=note, tracking_code=tracking)


def test_customer_name_escaped():
    html = make(customer="<script>alert(1)</script>")["html"]
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_note_and_item_escaped():
    html = make(note="<img src=x onerror=alert(1)>", item="<b>Mug</b>")["html"]
    assert "<img" not in html
    assert "<b>Mug</b>" not in html
    assert "<blockquote>&lt;img" in html


def test_tracking_code_cannot_break_attribute():
    html = make(tracking='x" onclick="steal()')["html"]
    assert 'onclick="steal()"' not in html
    assert 'href="https://track.example.com/parcel/x%22%20onclick%3D%22steal%28%29"' in html


def test_text_part_is_not_html_escaped():
    text = make(customer="Tom & Jerry")["text"]
    assert "Thanks for your order, Tom & Jerry!" in text


def test_ampersand_escaped_in_html():
    assert "Tom &amp; Jerry" in make(customer="Tom & Jerry")["html"]


def test_signature_still_trusted():
    assert "<b>Shop</b>" in make(customer="<b>x</b>")["html"]
