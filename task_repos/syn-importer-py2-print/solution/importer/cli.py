"""Command line entry point: ``python -m importer.cli contacts.csv``."""

import argparse
from pathlib import Path

from importer.parser import ImportResult, parse_lines


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description="Import a contact export.")
    parser.add_argument("path", type=Path, help="semicolon-separated export file")
    parser.add_argument("--strict", action="store_true", help="fail if any line is malformed")
    return parser


def run(path: Path) -> ImportResult:
    """Read and parse one export file."""
    return parse_lines(path.read_text(encoding="utf-8").splitlines())


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    result = run(args.path)
    print("imported", len(result.contacts), "contacts")
    if result.skipped:
        print("skipped lines:", ", ".join(str(number) for number in result.skipped))
        if args.strict:
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
