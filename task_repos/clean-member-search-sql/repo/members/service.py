"""Member directory as used by the admin console."""

from datetime import date

from members.repository import Member, MemberRepository

MAX_RESULTS = 50


class DuplicateMemberError(ValueError):
    pass


class MemberDirectory:
    def __init__(self, repo: MemberRepository) -> None:
        self._repo = repo

    def register(self, name: str, email: str, city: str, joined_on: date) -> int:
        email = email.strip().lower()
        if self._repo.by_email(email) is not None:
            raise DuplicateMemberError(email)
        return self._repo.add(name.strip(), email, city.strip(), joined_on)

    def find(self, query: str) -> list[Member]:
        query = query.strip()
        if len(query) < 2:
            return []
        return self._repo.search(query, MAX_RESULTS)

    def browse(self, sort: str = "name", page: int = 1, per_page: int = 20) -> list[Member]:
        if page < 1:
            raise ValueError("page starts at 1")
        per_page = max(1, min(per_page, MAX_RESULTS))
        return self._repo.list(sort, per_page, (page - 1) * per_page)
