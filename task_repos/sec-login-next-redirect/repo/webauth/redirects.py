"""Post-login redirect handling for the account portal."""

from dataclasses import dataclass, field
from urllib.parse import quote

DEFAULT_LANDING = "/dashboard"
LOGIN_PATH = "/login"


@dataclass
class Redirect:
    """A minimal HTTP redirect response."""

    location: str
    status: int = 303
    headers: dict[str, str] = field(default_factory=dict)


def safe_next(target: str | None, default: str = DEFAULT_LANDING) -> str:
    """Return ``target`` if it is a local path on this site, otherwise ``default``.

    The ``next`` parameter is echoed back into a ``Location`` header after login,
    so only same-origin relative paths such as ``/orders?page=2`` are allowed.
    """
    if not target:
        return default
    if target.startswith("/") and not target.startswith("//"):
        return target
    return default


def login_url(current_path: str) -> str:
    """URL of the login page that returns the user to ``current_path`` afterwards."""
    return f"{LOGIN_PATH}?next={quote(current_path, safe='/')}"


def after_login(next_param: str | None, session_id: str) -> Redirect:
    """Redirect issued once credentials have been verified."""
    response = Redirect(location=safe_next(next_param))
    response.headers["Set-Cookie"] = f"sid={session_id}; HttpOnly; Secure; SameSite=Lax"
    return response


def after_logout(next_param: str | None) -> Redirect:
    """Redirect issued after the session has been cleared."""
    return Redirect(location=safe_next(next_param, default=LOGIN_PATH))
