from logstats.access import bytes_served, parse, top_paths


def line(path, status=200, size="100", host="10.0.0.9"):
    return f'{host} - - [10/Oct/2024:13:55:36 +0000] "GET {path} HTTP/1.1" {status} {size}'


def test_top_paths_ranked_with_ties():
    requests = parse([line("/b"), line("/a"), line("/b"), line("/c"), line("/a"), line("/b")])
    assert top_paths(requests, 2) == [("/b", 3), ("/a", 2)]


def test_bytes_served_counts_only_success():
    requests = parse([line("/a", 200, "100"), line("/b", 500, "900"), line("/c", 204, "-")])
    assert bytes_served(requests) == 100


def test_trailing_whitespace_tolerated():
    assert len(parse([line("/x") + "  \n"])) == 1


def test_empty_log():
    assert parse([]) == []
    assert top_paths([]) == []
