"""Parse semicolon-separated contact exports."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Contact:
    """One imported contact."""

    name: str
    email: str
    city: str


@dataclass
class ImportResult:
    """Parsed contacts plus the 1-based line numbers that were skipped."""

    contacts: list[Contact] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)


def parse_lines(lines: list[str]) -> ImportResult:
    """Parse ``name;email;city`` lines; blank lines are ignored, malformed ones recorded."""
    result = ImportResult()
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        fields = [part.strip() for part in line.split(";")]
        if len(fields) != 3 or "@" not in fields[1]:
            result.skipped.append(number)
            continue
        result.contacts.append(Contact(fields[0], fields[1].lower(), fields[2]))
    return result
