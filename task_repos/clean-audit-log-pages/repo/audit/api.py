"""Query-string handling for GET /audit."""

from collections.abc import Mapping
from typing import Any

from audit.entries import AuditLog
from audit.paging import clamp_per_page, paginate


class BadRequestError(ValueError):
    pass


def _int_param(params: Mapping[str, str], name: str) -> int | None:
    if name not in params:
        return None
    try:
        return int(params[name])
    except ValueError:
        raise BadRequestError(f"{name} must be an integer") from None


def list_audit(log: AuditLog, tenant: str, params: Mapping[str, str]) -> dict[str, Any]:
    page = _int_param(params, "page")
    if page is None:
        page = 1
    if page < 1:
        raise BadRequestError("page must be at least 1")
    per_page = clamp_per_page(_int_param(params, "per_page"))
    result = paginate(log.for_tenant(tenant, params.get("actor")), page, per_page)
    return {
        "items": [
            {"id": e.entry_id, "actor": e.actor, "action": e.action, "at": e.at.isoformat()}
            for e in result.items
        ],
        "page": result.page,
        "per_page": result.per_page,
        "total": result.total,
        "pages": result.pages,
        "has_next": result.has_next,
    }
