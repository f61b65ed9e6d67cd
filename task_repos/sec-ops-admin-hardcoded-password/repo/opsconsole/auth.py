"""Login check for the ops console's single administrator account."""

import hmac

from opsconsole.settings import Settings


def check_login(settings: Settings, username: str, password: str) -> bool:
    """Return True when ``username``/``password`` match the configured administrator."""
    if not username or not password:
        return False
    user_ok = hmac.compare_digest(username.encode(), settings.admin_user.encode())
    password_ok = hmac.compare_digest(password.encode(), settings.admin_password.encode())
    return user_ok and password_ok


def can_write(settings: Settings, username: str, password: str) -> bool:
    """Return True when the login is valid and the console is not in read-only mode."""
    return check_login(settings, username, password) and not settings.read_only
