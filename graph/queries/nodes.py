"""Generic node statements, one variant per label (from the allow-list).

Writes go in batches: ``UNWIND $rows`` with ``MERGE`` on the id, so sending
the same rows twice changes nothing but ``updatedAt`` of rows that were sent.
Callers send only rows that are new or changed (see ``graph.nodes``).
"""

from __future__ import annotations

from graph.cypher import Statement, identifier, statement
from graph.model import LABELS

_LABELS = frozenset(LABELS)


def _upsert(label: str) -> Statement:
    label = identifier(label, _LABELS)
    return statement(
        f"nodes.upsert.{label}",
        f"""
        UNWIND $rows AS row
        MERGE (n:{label} {{id: row.id}})
        ON CREATE SET n.createdAt = $now
        SET n += row.props, n.updatedAt = $now
        RETURN count(n) AS written
        """,
        write=True,
    )


def _get(label: str) -> Statement:
    label = identifier(label, _LABELS)
    return statement(
        f"nodes.get.{label}",
        f"MATCH (n:{label}) WHERE n.id IN $ids RETURN n.id AS id, n {{.*}} AS node",
    )


def _count(label: str) -> Statement:
    label = identifier(label, _LABELS)
    return statement(f"nodes.count.{label}", f"MATCH (n:{label}) RETURN count(n) AS count")


#: AuditEntry is append-only and ApiToken has its own statements, as have the outbox and
#: its delivery state (graph.queries.notices): no generic upsert
APPEND_ONLY = frozenset(
    {"AuditEntry", "ApiToken", "Notice", "NoticeSequence", "WebhookCursor", "Delivery"}
)
UPSERT = {label: _upsert(label) for label in LABELS if label not in APPEND_ONLY}
GET = {label: _get(label) for label in LABELS if label not in APPEND_ONLY}
COUNT = {label: _count(label) for label in LABELS}

COUNT_ALL = statement(
    "nodes.count_all",
    "MATCH (n) RETURN count(n) AS nodes",
)
COUNT_RELATIONSHIPS = statement(
    "nodes.count_relationships",
    "MATCH ()-[r]->() RETURN count(r) AS relationships",
)
#: the domain's nodes: everything but the access layer's tokens and audit entries
COUNT_DOMAIN = statement(
    "nodes.count_domain",
    "MATCH (n) WHERE NOT (n:AuditEntry OR n:ApiToken) RETURN count(n) AS nodes",
)
