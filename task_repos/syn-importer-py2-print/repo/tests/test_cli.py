from importer.cli import main


def test_main_reports_count(tmp_path, capsys):
    export = tmp_path / "contacts.csv"
    export.write_text("Ada;ada@example.org;London\nAlan;alan@example.org;Wilmslow\n", encoding="utf-8")
    assert main([str(export)]) == 0
    assert "imported 2 contacts" in capsys.readouterr().out
