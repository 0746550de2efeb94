"""Statements that run only where another one did: the rest of an atomic unit.

A Writer's ``rest`` steps (``resolvers.mutate``) go in one unit with the audited first
step; when the first matched nothing, no audit entry exists, and each rest step is
prefixed with a guard on that entry, so it matches nothing either (a notice is written
if and only if its write was)::

    MATCH (_guard:AuditEntry {id: $auditId}) WITH _guard <the statement>

``guarded(stmt)`` is that variant, registered as ``NAME.guarded``.

    >>> from graph.cypher import statement
    >>> s = guarded(statement("doc.guarded", "MERGE (n:X {id: $id}) RETURN n.id AS id", write=True))
    >>> s.name, s.text.startswith("MATCH (_guard:AuditEntry {id: $auditId}) WITH _guard MERGE")
    ('doc.guarded.guarded', True)
"""

from __future__ import annotations

from graph.cypher import Statement, statement

AUDIT_GUARD = "MATCH (_guard:AuditEntry {id: $auditId}) WITH _guard"


def guarded(stmt: Statement) -> Statement:
    """The registered variant of a write that runs only once the unit's audit entry exists."""
    if not stmt.write:
        raise ValueError(f"{stmt.name} is not a write")
    return statement(
        f"{stmt.name}.guarded",
        f"{AUDIT_GUARD} {stmt.text}",
        write=True,
        dialect=stmt.dialect,
        idempotent=False,
    )


def base_name(name: str) -> str:
    """The statement a variant holds whole (``x.audited``, ``x.guarded`` -> ``x``)."""
    return name.removesuffix(".audited").removesuffix(".guarded")


__all__ = ["AUDIT_GUARD", "base_name", "guarded"]
