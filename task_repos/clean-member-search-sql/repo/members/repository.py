"""Queries against the members table."""

import sqlite3
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Member:
    id: int
    name: str
    email: str
    city: str
    joined_on: date


_LIST_QUERIES = {
    "name": "SELECT * FROM members ORDER BY name COLLATE NOCASE, id LIMIT ? OFFSET ?",
    "newest": "SELECT * FROM members ORDER BY joined_on DESC, id DESC LIMIT ? OFFSET ?",
    "city": "SELECT * FROM members ORDER BY city COLLATE NOCASE, name COLLATE NOCASE, id LIMIT ? OFFSET ?",
}


def _member(row: sqlite3.Row) -> Member:
    return Member(row["id"], row["name"], row["email"], row["city"], date.fromisoformat(row["joined_on"]))


def _like_pattern(fragment: str) -> str:
    escaped = fragment.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class MemberRepository:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def add(self, name: str, email: str, city: str, joined_on: date) -> int:
        cur = self._conn.execute(
            "INSERT INTO members (name, email, city, joined_on) VALUES (?, ?, ?, ?)",
            (name, email, city, joined_on.isoformat()),
        )
        self._conn.commit()
        return int(cur.lastrowid or 0)

    def by_email(self, email: str) -> Member | None:
        row = self._conn.execute("SELECT * FROM members WHERE email = ?", (email,)).fetchone()
        return _member(row) if row else None

    def search(self, fragment: str, limit: int) -> list[Member]:
        """Members whose name contains `fragment` (case-insensitive, literal match)."""
        rows = self._conn.execute(
            "SELECT * FROM members WHERE name LIKE ? ESCAPE '\\' ORDER BY name COLLATE NOCASE, id LIMIT ?",
            (_like_pattern(fragment), limit),
        ).fetchall()
        return [_member(row) for row in rows]

    def list(self, sort: str, limit: int, offset: int) -> list[Member]:
        try:
            query = _LIST_QUERIES[sort]
        except KeyError:
            raise ValueError(f"unsupported sort order: {sort}") from None
        return [_member(row) for row in self._conn.execute(query, (limit, offset)).fetchall()]
