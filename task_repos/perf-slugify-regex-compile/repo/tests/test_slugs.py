import pytest

from content.slugs import slugify, unique_slugs


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Hello World", "hello-world"),
        ("  Release 2.0: What's new?  ", "release-2-0-what-s-new"),
        ("Café crème à Paris", "cafe-creme-a-paris"),
        ("!!!", "post"),
        ("", "post"),
    ],
)
def test_slugify(title, slug):
    assert slugify(title) == slug


def test_long_titles_are_cut_at_word_boundary():
    slug = slugify("word " * 30, max_length=22)
    assert slug == "word-word-word-word"


def test_unique_slugs_add_suffixes():
    assert unique_slugs(["Hello", "hello!", "Other", "HELLO"]) == ["hello", "hello-2", "other", "hello-3"]
