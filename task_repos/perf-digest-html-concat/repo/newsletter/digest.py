"""HTML body of the weekly digest e-mail."""

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

ITEM_TEMPLATE = Markup('<li><a href="{url}">{title}</a><p>{summary}</p></li>')
PAGE_TEMPLATE = Markup("<h1>{heading}</h1><ul>{items}</ul>")
EMPTY_PAGE = Markup("<h1>{heading}</h1><p>No new articles this week.</p>")


@dataclass(frozen=True)
class Article:
    title: str
    url: str
    summary: str


def render_items(articles: Sequence[Article]) -> Markup:
    """The <li> elements for all articles; user-provided text is HTML-escaped."""
    html = Markup("")
    for article in articles:
        html += ITEM_TEMPLATE.format(url=article.url, title=article.title, summary=article.summary)
    return html


def render_digest(heading: str, articles: Sequence[Article]) -> Markup:
    """Complete digest body. Large accounts get digests with thousands of articles."""
    if not articles:
        return EMPTY_PAGE.format(heading=heading)
    return PAGE_TEMPLATE.format(heading=heading, items=render_items(articles))
