"""Middleware rejecting state-changing requests that lack the session's CSRF token."""

from collections.abc import Callable

from notesweb.messages import Request, Response
from notesweb.tokens import token_is_valid

FORM_FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

App = Callable[[Request], Response]


def csrf_protect(app: App) -> App:
    """Wrap ``app`` so that form posts and API writes must carry the CSRF token."""

    def protected(request: Request) -> Response:
        if request.method.upper() not in SAFE_METHODS:
            supplied = request.form.get(FORM_FIELD) or request.headers.get(HEADER)
            if not token_is_valid(request.session, supplied):
                return Response(403, "CSRF token missing or invalid")
        return app(request)

    return protected
