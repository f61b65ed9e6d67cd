"""HTTP entry point of the reporting service."""

import logging
import secrets
from dataclasses import dataclass
from typing import Any

from reporting.reports import SalesReports

logger = logging.getLogger("reporting.app")


@dataclass
class Response:
    status: int
    body: dict[str, Any]


class ReportingApp:
    def __init__(self, reports: SalesReports) -> None:
        self._reports = reports

    def handle(self, path: str, params: dict[str, str]) -> Response:
        """Dispatch a GET request; every failure is turned into a JSON error response."""
        try:
            if path != "/reports/summary":
                return Response(404, {"error": "not found"})
            rows = self._reports.summary(params.get("region", ""), params.get("since", ""))
            return Response(200, {"rows": rows})
        except ValueError as exc:
            return Response(400, {"error": str(exc)})
        except Exception as exc:
            incident = secrets.token_hex(6)
            logger.exception("incident %s: %s %s failed: %s", incident, path, params, exc)
            return Response(500, {"error": "internal server error", "incident": incident})
