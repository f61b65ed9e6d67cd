"""Helpers that keep credentials out of logs."""


def redact_key(raw_key: str) -> str:
    """Show only the last four characters: 'sk_live_abcd1234' -> '****1234'."""
    if len(raw_key) <= 8:
        return "****"
    return "****" + raw_key[-4:]
