"""Front-page feed: posts joined with their authors."""

from collections.abc import Sequence

from blog.models import FeedEntry, Post, User


def find_user(users: Sequence[User], user_id: int) -> User | None:
    """The user with id `user_id`, or None."""
    for user in users:
        if user.id == user_id:
            return user
    return None


def build_feed(posts: Sequence[Post], users: Sequence[User]) -> list[FeedEntry]:
    """Feed entries in post order; posts by deleted or deactivated authors are hidden.

    The front page renders a few thousand posts from a community of several thousand authors.
    """
    users_by_id = {user.id: user for user in users}
    entries = []
    for post in posts:
        author = users_by_id.get(post.author_id)
        if author is None or not author.active:
            continue
        entries.append(FeedEntry(post_id=post.id, title=post.title, author=author.name))
    return entries


def posts_per_author(posts: Sequence[Post], users: Sequence[User]) -> dict[str, int]:
    """Number of visible posts per author name."""
    counts: dict[str, int] = {}
    for entry in build_feed(posts, users):
        counts[entry.author] = counts.get(entry.author, 0) + 1
    return counts
