"""Project storage (in memory; the production build swaps in the SQL store)."""

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Project:
    id: int
    org_id: str
    name: str
    archived: bool = False


class ProjectStore:
    def __init__(self) -> None:
        self._projects: dict[int, Project] = {}
        self._last_id = 0

    def create(self, org_id: str, name: str) -> Project:
        self._last_id += 1
        project = Project(self._last_id, org_id, name)
        self._projects[project.id] = project
        return project

    def get(self, project_id: int) -> Project | None:
        return self._projects.get(project_id)

    def in_org(self, org_id: str) -> list[Project]:
        return [p for p in self._projects.values() if p.org_id == org_id]

    def update(self, project_id: int, **changes: object) -> Project:
        project = replace(self._projects[project_id], **changes)
        self._projects[project_id] = project
        return project

    def delete(self, project_id: int) -> None:
        del self._projects[project_id]
