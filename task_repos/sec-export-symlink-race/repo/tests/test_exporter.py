import csv
from datetime import date
from decimal import Decimal

import pytest

from exports.exporter import CsvExporter

HEADER = ["invoice", "customer", "amount", "issued", "paid"]
ROWS = [
    ["INV-1", "Acme Ltd", Decimal("120.50"), date(2024, 3, 1), True],
    ["INV-2", "Globex", 99, date(2024, 3, 2), False],
]


def read_rows(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def test_export_writes_header_and_rows(tmp_path):
    path = CsvExporter(tmp_path).export("march.csv", HEADER, ROWS)
    assert path == tmp_path / "march.csv"
    assert read_rows(path) == [
        HEADER,
        ["INV-1", "Acme Ltd", "120.50", "2024-03-01", "yes"],
        ["INV-2", "Globex", "99", "2024-03-02", "no"],
    ]


def test_export_replaces_previous_file(tmp_path):
    exporter = CsvExporter(tmp_path)
    exporter.export("march.csv", HEADER, ROWS)
    exporter.export("march.csv", HEADER, ROWS[:1])
    assert len(read_rows(tmp_path / "march.csv")) == 2


def test_progress_stages_reported(tmp_path):
    stages = []
    CsvExporter(tmp_path, progress=lambda stage, path: stages.append((stage, path.name))).export(
        "r.csv", HEADER, []
    )
    assert stages == [("rendered", "r.csv"), ("written", "r.csv")]


@pytest.mark.parametrize("name", ["../r.csv", "r.txt", ".hidden.csv", "a/b.csv"])
def test_invalid_names_rejected(tmp_path, name):
    with pytest.raises(ValueError):
        CsvExporter(tmp_path).export(name, HEADER, ROWS)


def test_existing_symlink_is_refused(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "r.csv").symlink_to(victim)
    with pytest.raises(PermissionError):
        CsvExporter(tmp_path / "out").export("r.csv", HEADER, ROWS)
    assert victim.read_text() == "keep"


def test_formula_cells_are_neutralised(tmp_path):
    path = CsvExporter(tmp_path).export("f.csv", ["note"], [["=HYPERLINK(\"http://x\")"]])
    assert read_rows(path)[1] == ["'=HYPERLINK(\"http://x\")"]
