import signal
from contextlib import contextmanager

from profiles.validation import is_valid_display_name, validate_profile

HOSTILE_NAMES = [
    "a" * 40 + "!",
    "Ada " * 12 + "!",
    "x1" * 24 + " -",
]


@contextmanager
def time_limit(seconds: float):
    def _expired(signum, frame):
        raise TimeoutError("display name validation did not finish")

    # CPU time, not the wall clock: a loaded machine must not fail a correct fix
    previous = signal.signal(signal.SIGVTALRM, _expired)
    signal.setitimer(signal.ITIMER_VIRTUAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        signal.signal(signal.SIGVTALRM, previous)


def test_hostile_display_names_are_rejected_promptly():
    with time_limit(1.0):
        results = [is_valid_display_name(name) for name in HOSTILE_NAMES]
        errors = validate_profile({"handle": "eve", "display_name": HOSTILE_NAMES[0]})
    assert results == [False, False, False]
    assert "display_name" in errors


def test_longest_allowed_name_is_accepted():
    name = ("Abcdefg " * 8)[:64].rstrip()
    assert is_valid_display_name(name)
    assert is_valid_display_name("a" * 64)


def test_double_space_and_edge_spaces_rejected():
    assert not is_valid_display_name("Ada  Lovelace")
    assert not is_valid_display_name(" Ada")


def test_numbers_only_name_is_allowed():
    assert is_valid_display_name("42 7")
