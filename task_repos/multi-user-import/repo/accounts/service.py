"""Bulk user import as offered to tenant admins."""

from dataclasses import dataclass, field

from accounts.directory import UserDirectory
from accounts.loader import parse_import
from accounts.validation import InvalidUserError, normalise_user


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def import_users(text: str, directory: UserDirectory) -> ImportReport:
    """Create every valid, new user of the uploaded document.

    Existing users are skipped; invalid entries are reported and do not stop the import.
    """
    report = ImportReport()
    for position, entry in enumerate(parse_import(text), start=1):
        try:
            user = normalise_user(entry)
        except InvalidUserError as exc:
            report.errors.append(f"entry {position}: {exc}")
            continue
        if user.email in directory:
            report.skipped.append(user.email)
            continue
        directory.add(user)
        report.created.append(user.email)
    return report
