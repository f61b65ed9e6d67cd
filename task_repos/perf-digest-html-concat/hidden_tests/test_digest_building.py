from markupsafe import Markup

from newsletter.digest import Article, render_digest, render_items


def articles(n):
    return [Article(f"Post {i} <b>", f"https://example.com/p/{i}", f"Summary {i} & more") for i in range(n)]


def count_concatenations(monkeypatch):
    calls = {"add": 0}
    original_add = Markup.__add__

    def counting_add(self, other):
        calls["add"] += 1
        return original_add(self, other)

    monkeypatch.setattr(Markup, "__add__", counting_add)
    return calls


def test_items_are_not_built_by_repeated_concatenation(monkeypatch):
    calls = count_concatenations(monkeypatch)
    html = render_items(articles(300))
    assert html.count("<li>") == 300
    assert calls["add"] <= 2


def test_digest_concatenations_do_not_grow_with_articles(monkeypatch):
    calls = count_concatenations(monkeypatch)
    render_digest("Weekly", articles(5))
    small = calls["add"]
    calls["add"] = 0
    render_digest("Weekly", articles(500))
    assert calls["add"] <= max(small, 2)


def test_large_digest_content():
    html = render_digest("Weekly", articles(1000))
    assert isinstance(html, Markup)
    assert html.count("<li>") == 1000
    assert "Post 999 &lt;b&gt;" in html
    assert "Summary 0 &amp; more" in html
    assert html.index("Post 10 ") < html.index("Post 100 ")
