"""In-memory user directory used by the admin console."""

from accounts.validation import NewUser


class UserDirectory:
    def __init__(self) -> None:
        self._users: dict[str, NewUser] = {}

    def __contains__(self, email: str) -> bool:
        return email.lower() in self._users

    def add(self, user: NewUser) -> None:
        if user.email in self._users:
            raise KeyError(f"{user.email} already exists")
        self._users[user.email] = user

    def get(self, email: str) -> NewUser:
        return self._users[email.lower()]

    def emails(self) -> list[str]:
        return sorted(self._users)
