"""Subject and body templates for outgoing notification e-mails."""

from string import Template

SUBJECTS = {
    "welcome": "Welcome to $product",
    "verify_email": "Confirm your $product e-mail address",
    "invoice": "Your $product invoice $number",
}


def subject_for(kind: str, **values: str) -> str:
    """Fill in the subject line for notification ``kind``; unknown placeholders stay as they are."""
    try:
        template = SUBJECTS[kind]
    except KeyError:
        raise ValueError(f"unknown notification kind: {kind!r}") from None
    return Template(template).safe_substitute(values)
