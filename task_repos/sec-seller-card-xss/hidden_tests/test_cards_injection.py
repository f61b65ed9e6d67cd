from html.parser import HTMLParser

import pytest

from storefront.cards import Seller, render_seller_card

ALLOWED_ATTRS = {"class", "href", "rel", "title"}


class TagCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def parse(markup):
    collector = TagCollector()
    collector.feed(markup)
    collector.close()
    return collector.tags


def href_scheme(href):
    cleaned = "".join(ch for ch in href if ch > " ").lower()
    return cleaned.split(":", 1)[0] if ":" in cleaned else ""


@pytest.mark.parametrize(
    "website",
    [
        'https://shop.example/" onmouseover="alert(document.cookie)',
        "https://shop.example/' autofocus onfocus='alert(1)",
        '"><script>alert(1)</script>',
        "javascript:alert(document.cookie)",
        "  JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    ],
)
def test_hostile_website_cannot_inject_markup_or_script(website):
    tags = parse(render_seller_card(Seller(name="Mallory", website=website)))
    assert all(tag != "script" for tag, _ in tags)
    for tag, attrs in tags:
        assert set(attrs) <= ALLOWED_ATTRS, (tag, attrs)
        if tag == "a":
            assert href_scheme(attrs.get("href") or "") in {"http", "https"}


def test_hostile_name_is_text_only():
    tags = parse(render_seller_card(Seller(name='<img src=x onerror="alert(1)">', website="https://ok.example")))
    assert [tag for tag, _ in tags if tag == "img"] == []


def test_query_string_links_survive():
    url = "https://shop.example/store?id=7&ref=card"
    tags = parse(render_seller_card(Seller(name="Ada", website=url)))
    links = [attrs for tag, attrs in tags if tag == "a"]
    assert links == [{"class": "seller__name", "href": url, "rel": "nofollow"}]


def test_plain_http_link_kept():
    html = render_seller_card(Seller(name="Ada", website="http://ada.example"))
    assert 'href="http://ada.example"' in html
