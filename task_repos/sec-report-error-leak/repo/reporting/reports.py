"""Sales report queries."""

from typing import Any

from reporting.db import Database

REGIONS = ("emea", "amer", "apac")

SUMMARY_SQL = (
    "SELECT product, SUM(quantity), SUM(amount_cents) FROM sales "
    "WHERE region = %s AND sold_on >= %s GROUP BY product ORDER BY 3 DESC"
)


class SalesReports:
    def __init__(self, db: Database) -> None:
        self._db = db

    def summary(self, region: str, since: str) -> list[dict[str, Any]]:
        if region not in REGIONS:
            raise ValueError(f"unknown region {region!r}")
        if len(since) != 10 or since[4] != "-" or since[7] != "-":
            raise ValueError("since must be a YYYY-MM-DD date")
        rows = self._db.fetch_all(SUMMARY_SQL, (region, since))
        return [{"product": p, "units": int(q), "revenue_cents": int(a)} for p, q, a in rows]
