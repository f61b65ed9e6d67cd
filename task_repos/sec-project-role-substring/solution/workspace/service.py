"""Project use cases behind /orgs/<org_id>/projects/<project_id>."""

from workspace.policy import Member, can_edit, can_manage, can_view
from workspace.store import Project, ProjectStore


class NotFoundError(LookupError):
    """No such project in the caller's organisation."""


class ProjectService:
    def __init__(self, store: ProjectStore) -> None:
        self._store = store

    def list_projects(self, member: Member, org_id: str) -> list[Project]:
        if not can_view(member, org_id):
            raise PermissionError("not a member of this organisation")
        return [p for p in self._store.in_org(org_id) if not p.archived]

    def get_project(self, member: Member, org_id: str, project_id: int) -> Project:
        project = self._store.get(project_id)
        if project is None or project.org_id != org_id or not can_view(member, org_id):
            raise NotFoundError(project_id)
        return project

    def create_project(self, member: Member, org_id: str, name: str) -> Project:
        if not can_edit(member, org_id):
            raise PermissionError("editors only")
        return self._store.create(org_id, name.strip())

    def _managed(self, member: Member, org_id: str, project_id: int) -> Project:
        project = self._store.get(project_id)
        if project is None or project.org_id != org_id:
            raise NotFoundError(project_id)
        if not can_manage(member, project.org_id):
            raise PermissionError("organisation admins only")
        return project

    def rename_project(self, member: Member, org_id: str, project_id: int, name: str) -> Project:
        project = self._managed(member, org_id, project_id)
        return self._store.update(project.id, name=name.strip())

    def archive_project(self, member: Member, org_id: str, project_id: int) -> Project:
        project = self._managed(member, org_id, project_id)
        return self._store.update(project.id, archived=True)

    def delete_project(self, member: Member, org_id: str, project_id: int) -> None:
        project = self._managed(member, org_id, project_id)
        self._store.delete(project.id)
