import pytest

from exporters.registry import UnknownFormatError, available_formats, export_report, load_exporter

ROWS = [
    {"id": 1, "customer": "Acme", "total": 120.5},
    {"id": 2, "customer": "Globex | Intl", "total": None},
]


def test_available_formats():
    assert available_formats() == ["jsonl", "markdown", "tsv"]


def test_tsv_export():
    content_type, body = export_report(ROWS, "tsv")
    assert content_type == "text/tab-separated-values"
    assert body == "id\tcustomer\ttotal\n1\tAcme\t120.5\n2\tGlobex | Intl\t\n"


def test_jsonl_export():
    content_type, body = export_report(ROWS, "jsonl")
    assert content_type == "application/x-ndjson"
    assert body.splitlines()[0] == '{"id":1,"customer":"Acme","total":120.5}'


def test_markdown_export_escapes_pipes():
    _, body = export_report(ROWS, "markdown")
    assert body.splitlines()[:2] == ["| id | customer | total |", "|---|---|---|"]
    assert "| 2 | Globex \\| Intl |  |" in body


def test_unknown_format():
    with pytest.raises(UnknownFormatError):
        load_exporter("xlsx")
