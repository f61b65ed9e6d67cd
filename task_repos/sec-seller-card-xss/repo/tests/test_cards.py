from storefront.cards import Seller, render_seller_card


def test_card_links_seller_name_to_website():
    html = render_seller_card(Seller(name="Ada Crafts", website="https://ada-crafts.example/shop"))
    assert '<a class="seller__name" href="https://ada-crafts.example/shop" rel="nofollow">Ada Crafts</a>' in html


def test_card_without_website_uses_plain_name():
    html = render_seller_card(Seller(name="Ada Crafts"))
    assert '<span class="seller__name">Ada Crafts</span>' in html
    assert "<a " not in html


def test_name_and_badges_are_escaped():
    html = render_seller_card(Seller(name="<b>Bob</b>", badges=["Fast & friendly"]))
    assert "&lt;b&gt;Bob&lt;/b&gt;" in html
    assert '<li class="badge">Fast &amp; friendly</li>' in html


def test_bio_paragraphs_and_line_breaks():
    html = render_seller_card(Seller(name="A", bio="Hand made.\nSince 2009.\n\nShips <fast>."))
    assert "<p>Hand made.<br>Since 2009.</p><p>Ships &lt;fast&gt;.</p>" in html


def test_rating_stars():
    assert "★★★★☆" in render_seller_card(Seller(name="A", rating=4.2))
    assert "No ratings yet" in render_seller_card(Seller(name="A"))
