"""Public ticket references, e.g. HD-7KQ2M9XA.

The reference is printed in customer e-mails and opens the ticket's status page.
"""

import random
import string

ALPHABET = string.ascii_uppercase + string.digits
LENGTH = 8
PREFIX = "HD-"


def new_reference() -> str:
    return PREFIX + "".join(random.choices(ALPHABET, k=LENGTH))


def is_reference(value: str) -> bool:
    body = value.removeprefix(PREFIX)
    return value.startswith(PREFIX) and len(body) == LENGTH and all(c in ALPHABET for c in body)
