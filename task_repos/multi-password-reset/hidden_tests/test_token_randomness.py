import random

from authflow.service import PasswordResetService
from authflow.store import ResetTokenStore
from authflow.tokens import generate_token


def test_tokens_independent_of_global_random_seed():
    random.seed(42)
    first = generate_token()
    random.seed(42)
    second = generate_token()
    assert first != second


def test_victim_token_not_reproducible(clock):
    service = PasswordResetService(ResetTokenStore(), lambda email, pw: None, clock)
    random.seed(2024)
    victim = service.request_reset("victim@example.com")
    random.seed(2024)
    assert generate_token() != victim


def test_tokens_unique():
    assert len({generate_token() for _ in range(300)}) == 300
