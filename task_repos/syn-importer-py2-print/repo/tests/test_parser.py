from importer.parser import Contact, parse_lines


def test_parse_valid_lines():
    result = parse_lines(["Ada Lovelace; ADA@example.org ;London"])
    assert result.contacts == [Contact("Ada Lovelace", "ada@example.org", "London")]
    assert result.skipped == []


def test_blank_lines_ignored():
    assert parse_lines(["", "   "]).contacts == []


def test_malformed_lines_recorded():
    result = parse_lines(["a;b@c;d", "missing fields", "x;no-at-sign;y"])
    assert len(result.contacts) == 1
    assert result.skipped == [2, 3]
