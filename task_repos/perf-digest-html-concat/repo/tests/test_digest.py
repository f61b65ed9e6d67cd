from markupsafe import Markup

from newsletter.digest import Article, render_digest, render_items

ONE = Article("Release 2.0", "https://example.com/r2", "What is new.")
TWO = Article("Roadmap", "https://example.com/roadmap", "Next quarter.")


def test_single_item():
    assert render_items([ONE]) == Markup(
        '<li><a href="https://example.com/r2">Release 2.0</a><p>What is new.</p></li>'
    )


def test_items_keep_order():
    html = render_items([ONE, TWO])
    assert html.index("Release 2.0") < html.index("Roadmap")
    assert html.count("<li>") == 2


def test_text_is_escaped():
    evil = Article("<script>alert(1)</script>", 'https://x.test/"onmouseover=', "a & b")
    html = render_items([evil])
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "&#34;onmouseover=" in html
    assert "a &amp; b" in html


def test_result_is_markup():
    assert isinstance(render_items([ONE]), Markup)
    assert isinstance(render_digest("Weekly", [ONE]), Markup)


def test_full_digest():
    html = render_digest("Weekly <news>", [ONE])
    assert html.startswith("<h1>Weekly &lt;news&gt;</h1><ul><li>")
    assert html.endswith("</li></ul>")


def test_empty_digest():
    assert render_digest("Weekly", []) == Markup("<h1>Weekly</h1><p>No new articles this week.</p>")
