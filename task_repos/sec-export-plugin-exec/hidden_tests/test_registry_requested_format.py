import pytest

from exporters.registry import export_report, load_exporter


def test_format_parameter_cannot_run_code(tmp_path):
    marker = tmp_path / "pwned"
    fmt = f"tsv as exporter; import pathlib; pathlib.Path({str(marker)!r}).touch(); import os"
    with pytest.raises(ValueError):
        export_report([{"a": 1}], fmt)
    assert not marker.exists()


def test_format_parameter_cannot_pick_other_modules():
    with pytest.raises(ValueError):
        load_exporter("tsv as exporter, _common")


def test_private_helper_module_is_not_a_format():
    with pytest.raises(ValueError):
        export_report([{"a": 1}], "_common")


def test_dotted_or_empty_names_are_rejected():
    for name in ["", ".tsv", "formats.tsv", "tsv.export"]:
        with pytest.raises(ValueError):
            load_exporter(name)


def test_loaded_exporters_are_the_format_modules():
    module = load_exporter("markdown")
    assert module.__name__ == "exporters.formats.markdown"
    assert load_exporter("markdown") is module


def test_columns_follow_first_seen_order():
    _, body = export_report([{"b": 1}, {"a": 2, "b": 3}], "tsv")
    assert body == "b\ta\n1\t\n3\t2\n"
