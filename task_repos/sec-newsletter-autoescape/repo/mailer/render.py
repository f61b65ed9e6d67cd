"""Rendering of transactional e-mails."""

from dataclasses import dataclass
from typing import Any

from jinja2 import DictLoader, Environment, StrictUndefined

from mailer.templates import TEMPLATES


@dataclass(frozen=True)
class Branding:
    """Per-tenant branding. ``footer_html`` is edited by our staff in the back office."""

    product_name: str
    footer_html: str


_env = Environment(
    loader=DictLoader(TEMPLATES),
    autoescape=False,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def render(template_name: str, branding: Branding, **context: Any) -> str:
    """Render one template with the tenant's branding and the given context."""
    template = _env.get_template(template_name)
    return template.render(product_name=branding.product_name, footer_html=branding.footer_html, **context)


def render_email(kind: str, branding: Branding, **context: Any) -> tuple[str, str]:
    """Return the ``(html, text)`` parts of the e-mail ``kind`` (e.g. "welcome", "digest")."""
    return render(f"{kind}.html", branding, **context), render(f"{kind}.txt", branding, **context)
