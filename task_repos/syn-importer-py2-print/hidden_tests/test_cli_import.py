from pathlib import Path

from importer.cli import build_parser, main, run


def write(tmp_path: Path, text: str) -> Path:
    export = tmp_path / "export.csv"
    export.write_text(text, encoding="utf-8")
    return export


def test_run_parses_file(tmp_path):
    result = run(write(tmp_path, "Grace;grace@navy.mil;Arlington\n"))
    assert [c.name for c in result.contacts] == ["Grace"]


def test_skipped_lines_reported(tmp_path, capsys):
    export = write(tmp_path, "Ada;ada@example.org;London\nbroken line\n")
    assert main([str(export)]) == 0
    out = capsys.readouterr().out
    assert "imported 1 contacts" in out
    assert "skipped lines: 2" in out


def test_strict_mode_fails_on_skipped(tmp_path):
    export = write(tmp_path, "broken\n")
    assert main([str(export), "--strict"]) == 1


def test_parser_defaults():
    args = build_parser().parse_args(["file.csv"])
    assert args.strict is False
    assert args.path == Path("file.csv")
