"""Built-in e-mail templates. Every e-mail has an HTML part and a plain-text part."""

TEMPLATES = {
    "base.html": """<!doctype html>
<html><body>
{% block content %}{% endblock %}
<footer>{{ footer_html }}</footer>
</body></html>
""",
    "welcome.html": """{% extends "base.html" %}
{% block content %}
<h1>Welcome to {{ product_name }}, {{ user_name }}!</h1>
<p>Your workspace <a href="{{ workspace_url }}">{{ workspace }}</a> is ready.</p>
{% endblock %}
""",
    "welcome.txt": """Welcome to {{ product_name }}, {{ user_name }}!
Your workspace "{{ workspace }}" is ready: {{ workspace_url }}
""",
    "digest.html": """{% extends "base.html" %}
{% block content %}
<h1>{{ items | length }} new comments on {{ product_name }}</h1>
<ul>
{% for item in items %}
<li><a href="{{ item.url }}">{{ item.title }}</a>: {{ item.excerpt }}</li>
{% endfor %}
</ul>
{% endblock %}
""",
    "digest.txt": """{{ items | length }} new comments on {{ product_name }}
{% for item in items %}
- {{ item.title }}: {{ item.excerpt }} ({{ item.url }})
{% endfor %}
""",
}
