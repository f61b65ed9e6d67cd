import pytest

from workspace.policy import Member, can_manage
from workspace.service import NotFoundError

ACME_ADMIN = Member("u1", "acme", "admin")


@pytest.mark.parametrize(
    "roles",
    ["billing-admin", "editor, billing-admin", "admin-readonly", "viewer,sysadmins-observer", "Badmin"],
)
def test_roles_merely_containing_admin_cannot_manage(service, store, roles):
    member = Member("u9", "acme", roles)
    assert can_manage(member, "acme") is False
    with pytest.raises(PermissionError):
        service.delete_project(member, "acme", 1)
    assert store.get(1) is not None


@pytest.mark.parametrize("roles", ["admin", "editor,admin", "editor, admin", "Admin"])
def test_real_admin_role_is_recognised(roles):
    assert can_manage(Member("u1", "acme", roles), "acme") is True


def test_admin_cannot_delete_other_orgs_project_via_own_org_path(service, store):
    with pytest.raises((PermissionError, NotFoundError)):
        service.delete_project(ACME_ADMIN, "acme", 3)
    assert store.get(3) is not None


def test_admin_cannot_rename_or_archive_other_orgs_project(service, store):
    with pytest.raises((PermissionError, NotFoundError)):
        service.rename_project(ACME_ADMIN, "acme", 3, "pwned")
    with pytest.raises((PermissionError, NotFoundError)):
        service.archive_project(ACME_ADMIN, "acme", 3)
    assert store.get(3).name == "Payroll"
    assert store.get(3).archived is False


def test_other_org_admin_still_manages_own_projects(service, store):
    globex_admin = Member("g1", "globex", "admin")
    assert service.rename_project(globex_admin, "globex", 3, "Payroll 2").name == "Payroll 2"


def test_missing_project_is_not_found_for_admin(service):
    with pytest.raises(NotFoundError):
        service.rename_project(ACME_ADMIN, "acme", 42, "x")
