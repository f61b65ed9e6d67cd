"""Typed settings of the worker service."""

from dataclasses import dataclass, field, fields


@dataclass(frozen=True)
class Settings:
    service_name: str = "worker"
    port: int = 8080
    debug: bool = False
    workers: int = 4
    queue_url: str = "amqp://localhost:5672"
    allowed_origins: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if not 1 <= self.port <= 65535:
            raise ValueError(f"port out of range: {self.port}")
        if self.workers < 1:
            raise ValueError("at least one worker is required")


def field_types() -> dict[str, type]:
    """Setting name -> the Python type used to coerce raw values."""
    types: dict[str, type] = {}
    for item in fields(Settings):
        declared = Settings.__annotations__[item.name]
        types[item.name] = tuple if str(declared).startswith("tuple") else declared
    return types
