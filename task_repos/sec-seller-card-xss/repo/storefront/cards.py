"""HTML fragments for seller cards shown next to product listings."""

from dataclasses import dataclass, field
from html import escape


@dataclass
class Seller:
    name: str
    website: str = ""
    bio: str = ""
    rating: float | None = None
    badges: list[str] = field(default_factory=list)


def _stars(rating: float | None) -> str:
    if rating is None:
        return '<span class="rating rating--none">No ratings yet</span>'
    full = max(0, min(5, round(rating)))
    return f'<span class="rating" title="{rating:.1f} / 5">{"★" * full}{"☆" * (5 - full)}</span>'


def _bio_html(bio: str) -> str:
    paragraphs = [p.strip() for p in bio.split("\n\n") if p.strip()]
    return "".join(f"<p>{escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)


def render_seller_card(seller: Seller) -> str:
    """Return the seller card markup for the product page sidebar."""
    name = escape(seller.name)
    if seller.website:
        heading = f'<a class="seller__name" href="{seller.website}" rel="nofollow">{name}</a>'
    else:
        heading = f'<span class="seller__name">{name}</span>'
    badges = "".join(f'<li class="badge">{escape(b)}</li>' for b in seller.badges)
    return (
        '<aside class="seller">'
        f"<h3>{heading}</h3>"
        f"{_stars(seller.rating)}"
        f'<ul class="badges">{badges}</ul>'
        f'<div class="seller__bio">{_bio_html(seller.bio)}</div>'
        "</aside>"
    )
