"""Reading bank statement CSV exports into transactions."""

import csv
import io
from datetime import datetime

from ingest.amounts import parse_amount
from ingest.models import Transaction

REQUIRED_COLUMNS = ("Date", "Counterparty", "Amount")


class StatementError(ValueError):
    """A statement row could not be read."""


def parse_statement(content: str) -> list[Transaction]:
    """Transactions of a CSV export with columns Date (DD.MM.YYYY), Counterparty, Amount."""
    reader = csv.DictReader(io.StringIO(content))
    missing = [name for name in REQUIRED_COLUMNS if name not in (reader.fieldnames or [])]
    if missing:
        raise StatementError(f"missing columns: {', '.join(missing)}")
    transactions = []
    for line_number, row in enumerate(reader, start=2):
        try:
            booked_on = datetime.strptime(row["Date"].strip(), "%d.%m.%Y").date()
            amount = parse_amount(row["Amount"])
        except ValueError as exc:
            raise StatementError(f"line {line_number}: {exc}") from exc
        transactions.append(Transaction(booked_on, row["Counterparty"].strip(), amount))
    return transactions
