import pytest

from invites.codes import ALPHABET, InviteBook, format_code, generate_code, normalize


def test_code_length_and_alphabet():
    code = generate_code()
    assert len(code) == 12
    assert set(code) <= set(ALPHABET)


def test_custom_length():
    assert len(generate_code(20)) == 20
    with pytest.raises(ValueError):
        generate_code(0)


def test_format_and_normalize_round_trip():
    assert format_code("KX7PM2QD9HWT") == "KX7P-M2QD-9HWT"
    assert normalize(" kx7p-m2qd 9hwt ") == "KX7PM2QD9HWT"


def test_issue_and_redeem_once():
    book = InviteBook()
    shown = book.issue("dana@example.com")
    assert len(book) == 1
    assert book.redeem(shown.lower()) == "dana@example.com"
    assert book.redeem(shown) is None
    assert len(book) == 0
