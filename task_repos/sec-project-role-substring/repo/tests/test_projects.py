import pytest

from workspace.policy import Member
from workspace.service import NotFoundError

ACME_ADMIN = Member("u1", "acme", "admin")
ACME_EDITOR = Member("u2", "acme", "editor")
ACME_VIEWER = Member("u3", "acme", "viewer")


def test_members_list_their_org_projects(service):
    assert [p.name for p in service.list_projects(ACME_VIEWER, "acme")] == ["Website", "Mobile app"]


def test_listing_another_org_is_forbidden(service):
    with pytest.raises(PermissionError):
        service.list_projects(ACME_VIEWER, "globex")


def test_project_from_other_org_is_not_found(service):
    with pytest.raises(NotFoundError):
        service.get_project(ACME_ADMIN, "acme", 3)


def test_editor_creates_project(service):
    project = service.create_project(ACME_EDITOR, "acme", "  Docs ")
    assert (project.org_id, project.name) == ("acme", "Docs")


def test_viewer_cannot_create(service):
    with pytest.raises(PermissionError):
        service.create_project(ACME_VIEWER, "acme", "Docs")


def test_admin_renames_archives_and_deletes(service, store):
    assert service.rename_project(ACME_ADMIN, "acme", 1, "Site").name == "Site"
    assert service.archive_project(ACME_ADMIN, "acme", 2).archived
    assert [p.name for p in service.list_projects(ACME_ADMIN, "acme")] == ["Site"]
    service.delete_project(ACME_ADMIN, "acme", 1)
    assert store.get(1) is None


def test_editor_cannot_delete(service, store):
    with pytest.raises(PermissionError):
        service.delete_project(ACME_EDITOR, "acme", 1)
    assert store.get(1) is not None
