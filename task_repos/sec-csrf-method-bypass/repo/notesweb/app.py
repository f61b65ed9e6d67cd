"""A small notes web app: routing and handlers."""

from collections.abc import Callable
from html import escape

from notesweb.csrf import FORM_FIELD, csrf_protect
from notesweb.messages import Request, Response
from notesweb.tokens import issue_token

Handler = Callable[[Request], Response]


class Router:
    def __init__(self) -> None:
        self._routes: dict[tuple[str, str], Handler] = {}

    def route(self, method: str, path: str) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self._routes[(method.upper(), path)] = handler
            return handler

        return register

    def __call__(self, request: Request) -> Response:
        handler = self._routes.get((request.method.upper(), request.path))
        if handler is None:
            known_path = any(path == request.path for _, path in self._routes)
            return Response(405 if known_path else 404, "method not allowed" if known_path else "not found")
        return handler(request)


def create_app(notes: list[str], account: dict[str, str]) -> Callable[[Request], Response]:
    router = Router()

    @router.route("GET", "/notes")
    def list_notes(request: Request) -> Response:
        items = "".join(f"<li>{escape(note)}</li>" for note in notes)
        token = escape(issue_token(request.session))
        form = f'<form method="post"><input type="hidden" name="{FORM_FIELD}" value="{token}"></form>'
        return Response(200, f"<ul>{items}</ul>{form}")

    @router.route("POST", "/notes")
    def add_note(request: Request) -> Response:
        text = request.form.get("text", "").strip()
        if not text:
            return Response(400, "text is required")
        notes.append(text)
        return Response(201, "created")

    @router.route("DELETE", "/notes")
    def clear_notes(request: Request) -> Response:
        notes.clear()
        return Response(204)

    @router.route("PUT", "/account/email")
    def change_email(request: Request) -> Response:
        email = request.form.get("email", "")
        if "@" not in email:
            return Response(400, "invalid email")
        account["email"] = email
        return Response(200, "updated")

    return csrf_protect(router)
