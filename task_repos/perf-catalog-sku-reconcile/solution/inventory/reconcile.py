"""Nightly reconciliation between the warehouse stock feed and the product catalog."""

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class ReconcileReport:
    unknown: list[str]  # SKUs the warehouse reports that the catalog does not know
    missing: list[str]  # catalog SKUs the warehouse did not report
    matched: int


def reconcile(catalog_skus: Iterable[str], feed_skus: Iterable[str]) -> ReconcileReport:
    """Compare the SKUs of the catalog and of the warehouse feed.

    Duplicates are reported once; both lists keep the order of first appearance.
    Catalogs and feeds have tens of thousands of SKUs.
    """
    catalog = list(dict.fromkeys(catalog_skus))
    known = set(catalog)
    seen_in_feed: set[str] = set()
    unknown: list[str] = []
    for sku in feed_skus:
        if sku in seen_in_feed:
            continue
        seen_in_feed.add(sku)
        if sku not in known:
            unknown.append(sku)
    missing = [sku for sku in catalog if sku not in seen_in_feed]
    matched = len(seen_in_feed) - len(unknown)
    return ReconcileReport(unknown=unknown, missing=missing, matched=matched)


def format_report(report: ReconcileReport, limit: int = 5) -> str:
    """One-line summary for the ops channel."""
    parts = [f"{report.matched} matched"]
    for label, skus in (("unknown", report.unknown), ("missing", report.missing)):
        if skus:
            shown = ", ".join(skus[:limit])
            more = f" (+{len(skus) - limit} more)" if len(skus) > limit else ""
            parts.append(f"{len(skus)} {label}: {shown}{more}")
    return "; ".join(parts)
