"""Per-session anti-CSRF tokens."""

import hmac
import secrets

SESSION_KEY = "csrf_token"


def issue_token(session: dict[str, str]) -> str:
    """Return the session's token, creating it on first use."""
    if SESSION_KEY not in session:
        session[SESSION_KEY] = secrets.token_urlsafe(32)
    return session[SESSION_KEY]


def token_is_valid(session: dict[str, str], supplied: str | None) -> bool:
    """True when ``supplied`` matches the token stored in the session."""
    expected = session.get(SESSION_KEY, "")
    return hmac.compare_digest(expected.encode(), (supplied or "").encode())
