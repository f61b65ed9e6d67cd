"""HTML rendering of reports with Jinja2."""

from typing import Any

from jinja2 import DictLoader, Environment

TEMPLATES = {
    "revenue.html": """<html><head><title>{{ title }}</title></head>
<body>
<h1>{{ title }}</h1>
<table>
<tr><th>Customer</th><th>Contact</th><th>Orders</th><th>Revenue</th></tr>
{% for row in rows %}<tr>
<td>{{ row.name }}</td>
<td><a href="mailto:{{ row.email }}">{{ row.email }}</a></td>
<td>{{ row.order_count }}</td>
<td>{{ row.revenue }}</td>
</tr>
{% endfor %}</table>
<footer>{{ footer }}</footer>
</body></html>
""",
}


def make_environment() -> Environment:
    return Environment(loader=DictLoader(TEMPLATES), autoescape=False)


def render(template: str, **context: Any) -> str:
    return make_environment().get_template(template).render(**context)
