"""Jinja2 environment for transactional e-mails."""

from typing import Any

from jinja2 import DictLoader, Environment, StrictUndefined, select_autoescape

TEMPLATES = {
    "receipt.html": """<h1>Thanks for your order, {{ customer }}!</h1>
<p>Order {{ order_id }}</p>
<table>
{% for line in lines %}<tr><td>{{ line.name }}</td><td>{{ line.qty }}</td><td>{{ line.total }}</td></tr>
{% endfor %}</table>
<p>Total: <strong>{{ total }}</strong></p>
{% if note %}<blockquote>{{ note }}</blockquote>{% endif %}
<p><a href="{{ tracking_url }}">Track your parcel</a></p>
{{ signature }}
""",
    "receipt.txt": """Thanks for your order, {{ customer }}!
Order {{ order_id }}
{% for line in lines %}{{ line.qty }} x {{ line.name }}: {{ line.total }}
{% endfor %}Total: {{ total }}
""",
}

_env = Environment(
    loader=DictLoader(TEMPLATES),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=False,
)


def render(name: str, **context: Any) -> str:
    return _env.get_template(name).render(**context)
