"""Access control: API tokens (stored hashed) and the append-only audit trail.

There is deliberately no statement that updates or deletes an AuditEntry.
Times are epoch milliseconds passed in as ``$now``.
"""

from __future__ import annotations

from graph.cypher import statement

#: every property but the hash
_PUBLIC_FIELDS = (
    "t {.id, .kind, .role, .scope, .county, .subject, .createdAt, .expiresAt, .revokedAt}"
)

CREATE_TOKEN = statement(
    "access.create_token",
    """
    CREATE (t:ApiToken {id: $id})
    SET t += $props, t.createdAt = $now, t.updatedAt = $now
    RETURN t {.*} AS token
    """,
    write=True,
    idempotent=False,
)

GET_TOKEN = statement(
    "access.get_token",
    "MATCH (t:ApiToken {id: $id}) RETURN t {.*} AS token",
)

REVOKE_TOKEN = statement(
    "access.revoke_token",
    """
    MATCH (t:ApiToken {id: $id})
    SET t.revokedAt = coalesce(t.revokedAt, $now), t.updatedAt = $now
    RETURN """
    + _PUBLIC_FIELDS
    + " AS token",
    write=True,
)

#: revoke a JWT issued elsewhere (same keys, never recorded here) by its jti
REVOKE_EXTERNAL = statement(
    "access.revoke_external",
    """
    MERGE (t:ApiToken {id: $id})
    ON CREATE SET t.kind = $kind, t.subject = $subject, t.createdAt = $now
    SET t.revokedAt = coalesce(t.revokedAt, $now), t.updatedAt = $now
    RETURN """
    + _PUBLIC_FIELDS
    + " AS token",
    write=True,
)

LIST_TOKENS = statement(
    "access.list_tokens",
    "MATCH (t:ApiToken) RETURN " + _PUBLIC_FIELDS + " AS token ORDER BY t.createdAt, t.id",
)

APPEND_AUDIT = statement(
    "access.append_audit",
    """
    CREATE (a:AuditEntry {id: $id})
    SET a += $props, a.createdAt = $now, a.updatedAt = $now
    RETURN a.id AS id
    """,
    write=True,
    idempotent=False,
)

#: newest first; ``$prefix`` is the non-zero prefix of the caller's scope code
AUDIT_ENTRIES = statement(
    "access.audit_entries",
    """
    MATCH (a:AuditEntry)
    WHERE any(code IN a.scopeCodes WHERE code STARTS WITH $prefix)
      AND ($after IS NULL OR a.id < $after)
      AND ($targetId IS NULL OR a.targetId = $targetId)
      AND ($action IS NULL OR a.action = $action)
      AND ($actor IS NULL OR a.actor = $actor)
    RETURN a {.*} AS entry
    ORDER BY a.id DESC
    LIMIT $limit
    """,
)

#: the county of a unit, for a unit operator's token (the edge, else the property)
UNIT_COUNTY = statement(
    "access.unit_county",
    """
    MATCH (u:Unit {id: $id})
    OPTIONAL MATCH (u)-[:IN_COUNTY]->(c:County)
    RETURN coalesce(c.code, u.countyId) AS county
    LIMIT 1
    """,
)
