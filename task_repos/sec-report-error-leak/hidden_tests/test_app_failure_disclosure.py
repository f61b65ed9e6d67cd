import logging

import pytest

from reporting.app import ReportingApp
from reporting.db import Database, DatabaseConfig, DatabaseError
from reporting.reports import SalesReports

PASSWORD = "Tr0ub4dor-x9"
CONFIG = DatabaseConfig(host="reports-db.internal", name="sales", user="report_ro", password=PASSWORD)
PARAMS = {"region": "emea", "since": "2024-01-01"}


class BrokenConnection:
    def execute(self, sql, params):
        raise RuntimeError('relation "sales" does not exist at character 52')


def refuse(dsn):
    raise ConnectionRefusedError(111, "Connection refused")


def app_with(connect):
    return ReportingApp(SalesReports(Database(CONFIG, connect)))


@pytest.mark.parametrize("connect", [refuse, lambda dsn: BrokenConnection()], ids=["connect", "query"])
def test_500_body_discloses_no_internals(connect):
    response = app_with(connect).handle("/reports/summary", PARAMS)
    assert response.status == 500
    rendered = repr(response.body)
    for leaked in (PASSWORD, "postgresql://", "reports-db.internal", "Traceback", "relation", "File \""):
        assert leaked not in rendered
    assert response.body["incident"]


@pytest.mark.parametrize("connect", [refuse, lambda dsn: BrokenConnection()], ids=["connect", "query"])
def test_logs_keep_diagnostics_but_not_the_password(connect, caplog):
    with caplog.at_level(logging.DEBUG):
        response = app_with(connect).handle("/reports/summary", PARAMS)
    assert response.body["incident"] in caplog.text
    assert "reports-db.internal" in caplog.text
    assert PASSWORD not in caplog.text


def test_database_error_message_names_server_without_password():
    with pytest.raises(DatabaseError) as info:
        Database(CONFIG, refuse).fetch_all("SELECT 1")
    message = str(info.value)
    assert "reports-db.internal" in message
    assert "report_ro" in message
    assert PASSWORD not in message


def test_client_errors_still_explain_the_problem():
    app = app_with(refuse)
    response = app.handle("/reports/summary", {"region": "emea", "since": "01/02/2024"})
    assert response.status == 400
    assert "YYYY-MM-DD" in response.body["error"]


def test_connection_still_uses_full_dsn():
    seen = []

    class Ok:
        def execute(self, sql, params):
            return []

    def connect(dsn):
        seen.append(dsn)
        return Ok()

    assert app_with(connect).handle("/reports/summary", PARAMS).status == 200
    assert seen == [f"postgresql://report_ro:{PASSWORD}@reports-db.internal:5432/sales"]
