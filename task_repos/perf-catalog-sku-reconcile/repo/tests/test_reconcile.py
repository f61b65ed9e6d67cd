from inventory.reconcile import ReconcileReport, format_report, reconcile


def test_all_matched():
    report = reconcile(["A", "B"], ["B", "A"])
    assert report == ReconcileReport(unknown=[], missing=[], matched=2)


def test_unknown_and_missing():
    report = reconcile(["A", "B", "C"], ["C", "X", "A", "Y"])
    assert report.unknown == ["X", "Y"]
    assert report.missing == ["B"]
    assert report.matched == 2


def test_duplicates_reported_once():
    report = reconcile(["A", "A", "B"], ["X", "X", "A", "A"])
    assert report == ReconcileReport(unknown=["X"], missing=["B"], matched=1)


def test_generators_are_accepted():
    report = reconcile((s for s in ["A", "B"]), iter(["B"]))
    assert report.missing == ["A"]


def test_format_report():
    report = ReconcileReport(unknown=["X1", "X2", "X3"], missing=["B"], matched=10)
    assert format_report(report, limit=2) == "10 matched; 3 unknown: X1, X2 (+1 more); 1 missing: B"


def test_format_clean_report():
    assert format_report(reconcile(["A"], ["A"])) == "1 matched"
