import csv
import os

import pytest

from exports.cells import format_cell
from exports.exporter import CsvExporter

HEADER = ["customer", "note"]
ROWS = [["Acme Ltd", "net 30"]]


def swap_for_symlink(victim):
    def progress(stage, path):
        if stage == "rendered":
            if path.exists() or path.is_symlink():
                path.unlink()
            os.symlink(victim, path)

    return progress


@pytest.fixture
def victim(tmp_path):
    target = tmp_path / "authorized_keys"
    target.write_text("ssh-ed25519 AAAA admin\n")
    return target


@pytest.fixture
def export_dir(tmp_path):
    directory = tmp_path / "exports"
    directory.mkdir()
    return directory


def attempt(exporter, filename):
    try:
        exporter.export(filename, HEADER, ROWS)
    except OSError:
        pass


def test_symlink_planted_after_check_does_not_redirect_write(export_dir, victim):
    attempt(CsvExporter(export_dir, progress=swap_for_symlink(victim)), "march.csv")
    assert victim.read_text() == "ssh-ed25519 AAAA admin\n"


def test_symlink_swapped_over_existing_export_does_not_redirect_write(export_dir, victim):
    (export_dir / "march.csv").write_text("old export\n")
    attempt(CsvExporter(export_dir, progress=swap_for_symlink(victim)), "march.csv")
    assert victim.read_text() == "ssh-ed25519 AAAA admin\n"


def test_plain_export_still_written_after_race_attempt(export_dir, victim):
    attempt(CsvExporter(export_dir, progress=swap_for_symlink(victim)), "a.csv")
    path = CsvExporter(export_dir).export("b.csv", HEADER, ROWS)
    with open(path, newline="", encoding="utf-8") as fh:
        assert list(csv.reader(fh)) == [HEADER, ROWS[0]]


@pytest.mark.parametrize(
    "payload",
    ["+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"],
)
def test_all_formula_triggers_are_neutralised(payload):
    assert format_cell(payload).startswith("'")


def test_numbers_and_plain_text_untouched():
    assert format_cell(-5) == "-5"
    assert format_cell(2.5) == "2.5"
    assert format_cell("Acme - North") == "Acme - North"
    assert format_cell(None) == ""
