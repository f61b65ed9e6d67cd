from blog.feed import build_feed, find_user, posts_per_author
from blog.models import FeedEntry, Post, User

USERS = [User(1, "ada"), User(2, "bob", active=False), User(3, "cy")]
POSTS = [Post(10, 3, "Hello"), Post(11, 1, "Notes"), Post(12, 2, "Gone"), Post(13, 9, "Orphan"), Post(14, 3, "More")]


def test_find_user():
    assert find_user(USERS, 3) == User(3, "cy")
    assert find_user(USERS, 9) is None


def test_feed_joins_authors_in_post_order():
    assert build_feed(POSTS, USERS) == [
        FeedEntry(10, "Hello", "cy"),
        FeedEntry(11, "Notes", "ada"),
        FeedEntry(14, "More", "cy"),
    ]


def test_empty_inputs():
    assert build_feed([], USERS) == []
    assert build_feed(POSTS, []) == []


def test_posts_per_author():
    assert posts_per_author(POSTS, USERS) == {"cy": 2, "ada": 1}
