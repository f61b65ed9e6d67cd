from mailer.render import Branding, render_email

FOOTER = '<p class="legal">Example Ltd &middot; <a href="https://tasks.example.com/prefs">Preferences</a></p>'
BRAND = Branding("TaskBoard", FOOTER)


def test_user_name_markup_is_escaped_in_html():
    html, text = render_email(
        "welcome", BRAND, user_name="<script>steal()</script>", workspace="W", workspace_url="https://x.test/w"
    )
    assert "<script>" not in html
    assert "&lt;script&gt;steal()&lt;/script&gt;" in html
    assert "<script>steal()</script>" in text


def test_attribute_breakout_is_escaped():
    html, _ = render_email(
        "welcome", BRAND, user_name="Dana", workspace="W", workspace_url='https://x.test/" onmouseover="steal()'
    )
    assert 'onmouseover="steal()' not in html
    assert "&#34; onmouseover=&#34;steal()" in html


def test_digest_comment_excerpts_are_escaped():
    items = [
        {"title": "Launch plan", "url": "https://x.test/t/1", "excerpt": "<img src=x onerror=steal()>"},
        {"title": "Q3 <b>goals</b>", "url": "https://x.test/t/2", "excerpt": "looks good"},
    ]
    html, text = render_email("digest", BRAND, items=items)
    assert "<img" not in html and "<b>" not in html
    assert "&lt;img src=x onerror=steal()&gt;" in html
    assert "- Q3 <b>goals</b>: looks good (https://x.test/t/2)" in text


def test_trusted_footer_still_renders_in_digest():
    html, _ = render_email("digest", BRAND, items=[])
    assert FOOTER in html
    assert "<h1>0 new comments on TaskBoard</h1>" in html


def test_plain_text_part_is_not_html_escaped():
    _, text = render_email(
        "welcome", Branding("Tasks & Co", FOOTER), user_name="Tom & Jerry", workspace="R&D", workspace_url="https://x.test/?a=1&b=2"
    )
    assert text.splitlines()[0] == "Welcome to Tasks & Co, Tom & Jerry!"
    assert 'Your workspace "R&D" is ready: https://x.test/?a=1&b=2' in text
