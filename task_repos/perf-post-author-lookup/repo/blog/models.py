"""Blog domain objects."""

from dataclasses import dataclass


@dataclass(frozen=True)
class User:
    id: int
    name: str
    active: bool = True


@dataclass(frozen=True)
class Post:
    id: int
    author_id: int
    title: str


@dataclass(frozen=True)
class FeedEntry:
    post_id: int
    title: str
    author: str
