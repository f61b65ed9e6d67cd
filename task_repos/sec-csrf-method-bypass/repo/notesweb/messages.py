"""Request and response objects passed between the server adapter and the app."""

from dataclasses import dataclass, field


@dataclass
class Request:
    method: str
    path: str
    form: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    session: dict[str, str] = field(default_factory=dict)


@dataclass
class Response:
    status: int
    body: str = ""
