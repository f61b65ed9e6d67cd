from inventory.reconcile import reconcile


class CountingSku(str):
    """A SKU string that counts equality comparisons."""

    comparisons = 0

    def __eq__(self, other):
        CountingSku.comparisons += 1
        return str.__eq__(self, other)

    __hash__ = str.__hash__


def skus(prefix, numbers):
    return [CountingSku(f"{prefix}-{n:05d}") for n in numbers]


def test_comparisons_grow_linearly():
    catalog = skus("SKU", range(600))
    feed = skus("SKU", range(200, 700))  # 400 known, 100 unknown
    CountingSku.comparisons = 0
    report = reconcile(catalog, feed)
    assert report.matched == 400
    assert len(report.unknown) == 100
    assert len(report.missing) == 200
    assert CountingSku.comparisons <= 2 * (len(catalog) + len(feed))


def test_large_feed_of_unknown_skus():
    catalog = skus("SKU", range(800))
    feed = skus("NEW", range(800))
    CountingSku.comparisons = 0
    report = reconcile(catalog, feed)
    assert len(report.unknown) == 800
    assert CountingSku.comparisons <= 2 * (len(catalog) + len(feed))


def test_results_unchanged_for_plain_strings():
    report = reconcile(["B", "A", "C", "A"], ["C", "D", "B", "D"])
    assert report.unknown == ["D"]
    assert report.missing == ["A"]
    assert report.matched == 2
