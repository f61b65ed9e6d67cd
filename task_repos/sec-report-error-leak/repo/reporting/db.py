"""Thin database access layer for the reporting service."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol


class Connection(Protocol):
    def execute(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]: ...


class DatabaseError(Exception):
    """Raised when the reporting database cannot answer a query."""


@dataclass(frozen=True)
class DatabaseConfig:
    host: str
    name: str
    user: str
    password: str = field(repr=False)
    port: int = 5432

    @property
    def dsn(self) -> str:
        return f"postgresql://{self.user}:{self.password}@{self.host}:{self.port}/{self.name}"


class Database:
    def __init__(self, config: DatabaseConfig, connect: Callable[[str], Connection]) -> None:
        self.config = config
        self._connect = connect
        self._conn: Connection | None = None

    def _error(self, action: str, exc: Exception) -> DatabaseError:
        return DatabaseError(f"{action} failed for {self.config.dsn}: {exc}")

    def fetch_all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        if self._conn is None:
            try:
                self._conn = self._connect(self.config.dsn)
            except OSError as exc:
                raise self._error("connect", exc) from exc
        try:
            return self._conn.execute(sql, params)
        except Exception as exc:
            self._conn = None
            raise self._error("query", exc) from exc
