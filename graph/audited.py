"""Writes that append their own audit entry: one statement, one all-or-nothing unit.

Why fold the audit into the write, and not send it as a second statement:

- FalkorDB has no multi-statement transactions. A Redis ``MULTI``/``EXEC`` block
  makes several statements one unit against a crash (with ``appendonly yes``,
  ``appendfsync always`` and ``aof-load-truncated yes`` the block reaches the
  append-only file whole, and a block torn by a crash is dropped when the file is
  loaded), but it cannot make the audit *conditional*: a write that checks and
  writes (capacity left, the status the caller saw) may match nothing, and the
  queued audit statement would still run. Folded into the write statement, the
  entry is created by the same rows that wrote, so a write that matched nothing
  leaves no entry, and FalkorDB applies a statement whole or not at all.
- On Neo4j the same folded statement runs in one transaction like every other.

``audited(stmt)`` rewrites a write statement's final ``RETURN a AS x, b AS y`` into::

    WITH a AS x, b AS y
    WITH collect({x: x, y: y}) AS _rows WHERE size(_rows) > 0
    CREATE (_audit:AuditEntry {id: $auditId})
    SET _audit += $audit, _audit.createdAt = $auditAt, _audit.updatedAt = $auditAt
    WITH _rows UNWIND _rows AS _row RETURN _row.x AS x, _row.y AS y

so it returns what the write returned, row for row, and exactly one entry exists
when (and only when) the write returned a row. A mutation made of several
statements folds the entry into its first, conditional one and sends the rest
with it in one unit (``Store.run_atomic``): later statements only touch what the
first one wrote, so when it matched nothing they change nothing either.

    >>> from graph.cypher import statement
    >>> s = audited(statement("doc.audited", "MATCH (n {id: $id}) SET n.x = 1 RETURN n.id AS id",
    ...                       write=True))
    >>> s.name, "CREATE (_audit:AuditEntry" in s.text
    ('doc.audited.audited', True)
"""

from __future__ import annotations

import re

from graph.cypher import Statement, statement

_RETURN = re.compile(r"\bRETURN\b", re.IGNORECASE)
_ALIAS = re.compile(
    r"^(?P<expr>.+?)\s+AS\s+(?P<alias>[A-Za-z_][A-Za-z0-9_]*)$", re.IGNORECASE | re.S
)
_BARE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_TAIL = re.compile(r"\b(ORDER\s+BY|SKIP|LIMIT|UNION)\b", re.IGNORECASE)

#: the parameters an audited statement takes besides its own
AUDIT_PARAMS = frozenset({"auditId", "audit", "auditAt"})


def _split(items: str) -> list[str]:
    """Top-level comma split (not inside brackets, braces, parentheses or quotes)."""
    parts, depth, quote, start = [], 0, "", 0
    for index, ch in enumerate(items):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(items[start:index].strip())
            start = index + 1
    parts.append(items[start:].strip())
    return parts


def _columns(items: str) -> list[tuple[str, str]]:
    out = []
    for item in _split(items):
        match = _ALIAS.match(item)
        if match:
            out.append((match["expr"].strip(), match["alias"]))
        elif _BARE.match(item):
            out.append((item, item))
        else:
            raise ValueError(f"an audited statement names every returned column: {item!r}")
    return out


def fold(text: str) -> str:
    """The text of ``text`` with the audit entry folded in (see the module docstring)."""
    found = list(_RETURN.finditer(text))
    if not found:
        raise ValueError("an audited statement ends with RETURN")
    last = found[-1]
    head, items = text[: last.start()], text[last.end() :].strip()
    distinct = items.upper().startswith("DISTINCT ")
    if distinct:
        items = items[len("DISTINCT ") :]
    if _TAIL.search(items):
        raise ValueError("an audited statement's RETURN has no ORDER BY, SKIP, LIMIT or UNION")
    columns = _columns(items)
    row = ", ".join(f"{alias}: {alias}" for _, alias in columns)
    out = ", ".join(f"_row.{alias} AS {alias}" for _, alias in columns)
    return (
        f"{head}WITH {'DISTINCT ' if distinct else ''}{items} "
        f"WITH collect({{{row}}}) AS _rows WHERE size(_rows) > 0 "
        "CREATE (_audit:AuditEntry {id: $auditId}) "
        "SET _audit += $audit, _audit.createdAt = $auditAt, _audit.updatedAt = $auditAt "
        f"WITH _rows UNWIND _rows AS _row RETURN {out}"
    )


def audited(stmt: Statement) -> Statement:
    """The registered audited variant of a write statement (``NAME.audited``)."""
    if not stmt.write:
        raise ValueError(f"{stmt.name} is not a write")
    return statement(
        f"{stmt.name}.audited",
        fold(stmt.text),
        write=True,
        dialect=stmt.dialect,
        idempotent=False,
    )


__all__ = ["AUDIT_PARAMS", "audited", "fold"]
