import re

from content.slugs import slugify, unique_slugs


def count_compiles(monkeypatch):
    calls = []
    original = re.compile

    def counting_compile(pattern, flags=0):
        calls.append(pattern)
        return original(pattern, flags)

    monkeypatch.setattr(re, "compile", counting_compile)
    return calls


def test_batch_import_does_not_recompile_patterns(monkeypatch):
    calls = count_compiles(monkeypatch)
    titles = [f"Post number {n}: notes & thoughts" for n in range(300)]
    slugs = unique_slugs(titles)
    assert slugs[7] == "post-number-7-notes-thoughts"
    assert len(calls) <= 2


def test_single_slug_does_not_compile(monkeypatch):
    calls = count_compiles(monkeypatch)
    for _ in range(50):
        assert slugify("Hello, World") == "hello-world"
    assert len(calls) <= 2


def test_behaviour_unchanged():
    assert slugify("Über straße — 2024") == "uber-strae-2024"
    assert unique_slugs(["A b", "a-b", "A  B"]) == ["a-b", "a-b-2", "a-b-3"]
