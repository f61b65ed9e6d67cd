from blog.feed import build_feed, posts_per_author
from blog.models import Post, User


class UserId(int):
    """An id that counts equality comparisons."""

    comparisons = 0

    def __eq__(self, other):
        UserId.comparisons += 1
        return int.__eq__(self, other)

    __hash__ = int.__hash__


def community(n_users, n_posts):
    users = [User(UserId(i), f"user{i}", active=i % 10 != 0) for i in range(n_users)]
    posts = [Post(p, UserId((p * 37) % n_users), f"post {p}") for p in range(n_posts)]
    return users, posts


def test_comparisons_linear_in_input_size():
    users, posts = community(400, 400)
    UserId.comparisons = 0
    feed = build_feed(posts, users)
    assert len(feed) == 360
    assert UserId.comparisons <= 2 * (len(users) + len(posts))


def test_many_posts_few_authors():
    users, posts = community(50, 2000)
    UserId.comparisons = 0
    counts = posts_per_author(posts, users)
    assert sum(counts.values()) == 1800
    assert UserId.comparisons <= 2 * (len(users) + len(posts))



def test_hidden_authors_still_hidden():
    users = [User(UserId(1), "ada"), User(UserId(2), "bob", active=False)]
    posts = [Post(1, UserId(2), "a"), Post(2, UserId(1), "b"), Post(3, UserId(7), "c")]
    assert [entry.post_id for entry in build_feed(posts, users)] == [2]
