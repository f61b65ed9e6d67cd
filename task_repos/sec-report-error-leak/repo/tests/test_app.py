import logging

import pytest

from reporting.app import ReportingApp
from reporting.db import Database, DatabaseConfig
from reporting.reports import SalesReports

DB_PASSWORD = "Tr0ub4dor-x9"
CONFIG = DatabaseConfig(host="reports-db.internal", name="sales", user="report_ro", password=DB_PASSWORD)


class FakeConnection:
    def __init__(self, rows=None, error=None):
        self.rows = rows or []
        self.error = error
        self.queries = []

    def execute(self, sql, params):
        self.queries.append((sql, tuple(params)))
        if self.error is not None:
            raise self.error
        return self.rows


def make_app(connect):
    return ReportingApp(SalesReports(Database(CONFIG, connect)))


@pytest.fixture
def connection():
    return FakeConnection(rows=[("widget", 12, 36000), ("gadget", 3, 4500)])


@pytest.fixture
def app(connection):
    return make_app(lambda dsn: connection)


def test_summary_returns_rows(app, connection):
    response = app.handle("/reports/summary", {"region": "emea", "since": "2024-01-01"})
    assert response.status == 200
    assert response.body["rows"][0] == {"product": "widget", "units": 12, "revenue_cents": 36000}
    assert connection.queries[0][1] == ("emea", "2024-01-01")


def test_unknown_path_is_404(app):
    assert app.handle("/admin", {}).status == 404


def test_bad_region_is_a_client_error_with_reason(app):
    response = app.handle("/reports/summary", {"region": "mars", "since": "2024-01-01"})
    assert response.status == 400
    assert response.body == {"error": "unknown region 'mars'"}


def test_bad_date_is_a_client_error(app):
    assert app.handle("/reports/summary", {"region": "emea", "since": "yesterday"}).status == 400


def test_database_failure_is_500_with_incident_logged(caplog):
    app = make_app(lambda dsn: FakeConnection(error=RuntimeError("server closed the connection")))
    with caplog.at_level(logging.ERROR, logger="reporting.app"):
        response = app.handle("/reports/summary", {"region": "emea", "since": "2024-01-01"})
    assert response.status == 500
    incident = response.body["incident"]
    assert incident
    assert incident in caplog.text
    assert "server closed the connection" in caplog.text
