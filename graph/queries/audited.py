"""The audited variants (``graph.audited``) of every statement a mutation writes with:
declared here, at import, so the registry lints and plans them like every other."""

from __future__ import annotations

from graph.audited import audited
from graph.cypher import Statement
from graph.queries import demands, liaison, matching, people, projects, records, resources

WRITES: tuple[Statement, ...] = (
    demands.CREATE,
    demands.UPDATE,
    resources.CREATE,
    resources.UPDATE,
    projects.FORM,
    projects.MOVE,
    projects.CANCEL,
    liaison.LINK,
    liaison.UNLINK,
    *people.ASSIGN.values(),
    people.END,
    records.CREATE_AGREEMENT,
    *records.CREATE_MEETING.values(),
    *records.CREATE_EVALUATION.values(),
    matching.ACCEPT,
)
AUDITED: dict[str, Statement] = {stmt.name: audited(stmt) for stmt in WRITES}
