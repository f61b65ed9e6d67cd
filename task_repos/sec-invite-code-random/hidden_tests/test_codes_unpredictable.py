import random

from invites.codes import ALPHABET, InviteBook, generate_code


def test_codes_do_not_follow_the_global_prng():
    random.seed(20240601)
    first = generate_code()
    random.seed(20240601)
    second = generate_code()
    assert first != second


def test_issued_codes_cannot_be_predicted_from_a_seed():
    book = InviteBook()
    random.seed(7)
    predicted = "".join(random.choice(ALPHABET) for _ in range(12))
    random.seed(7)
    shown = book.issue("victim@example.com")
    assert book.redeem(predicted) is None
    assert book.redeem(shown) == "victim@example.com"


def test_many_codes_are_unique_and_well_formed():
    codes = {generate_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(c) == 12 and set(c) <= set(ALPHABET) for c in codes)


def test_unknown_code_redeems_nothing():
    book = InviteBook()
    book.issue("a@example.com")
    assert book.redeem("AAAA-AAAA-AAAA") is None
    assert len(book) == 1
