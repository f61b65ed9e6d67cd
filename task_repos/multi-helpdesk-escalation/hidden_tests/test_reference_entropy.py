import random

from helpdesk.references import is_reference, new_reference


def test_references_do_not_follow_global_random_state():
    random.seed(1234)
    first = [new_reference() for _ in range(3)]
    random.seed(1234)
    second = [new_reference() for _ in range(3)]
    assert first != second


def test_references_unique_and_well_formed():
    refs = {new_reference() for _ in range(500)}
    assert len(refs) == 500
    assert all(is_reference(ref) for ref in refs)
