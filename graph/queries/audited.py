"""The audited variants (``graph.audited``) of every statement a mutation writes with:
declared here, at import, so the registry lints and plans them like every other."""

from __future__ import annotations

from graph.audited import audited
from graph.cypher import Statement
from graph.guarded import guarded
from graph.queries import (
    demands,
    liaison,
    loop,
    matching,
    notices,
    people,
    projects,
    records,
    resources,
)

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
    loop.ASSIGN,
    loop.MOVE,
    loop.CHASE,
    loop.WHISTLE,
    loop.RESPOND,
    loop.CALLBACK,
)
AUDITED: dict[str, Statement] = {stmt.name: audited(stmt) for stmt in WRITES}

#: the statements that complete a write in its unit (a Writer's ``rest``), guarded by
#: its audit entry (``graph.guarded``)
RESTS: tuple[Statement, ...] = (projects.LINK_FORMED, notices.APPEND, loop.ASSIGN)
GUARDED: dict[str, Statement] = {stmt.name: guarded(stmt) for stmt in RESTS}
