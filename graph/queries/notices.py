"""The outbox (docs/closed-loop.md, *Notice*) and its webhook delivery state.

``APPEND`` writes one notice with the next ``seq``: a counter node
``(:NoticeSequence {id: 'notice'})`` is incremented in the same statement, so the
write lock on it (Neo4j) or the one-writer-at-a-time engine (FalkorDB) hands out
the numbers in commit order: a reader that has seen ``seq`` n has seen every
notice below n. It takes no other node, so it can be one step of any
``Store.run_atomic`` unit (a Writer's ``rest``): the notice exists if and only if
the unit's write does.

Delivery state is one ``(:Delivery)`` per notice and hook (``id`` = hook:notice),
queued from a per-hook cursor ``(:WebhookCursor {id: hook, seq})`` and claimed
with a lease (``leaseUntil``) so that two API processes never post the same
notice to the same hook at once.
"""

from __future__ import annotations

from graph.cypher import statement

#: the counter node's id (one per graph)
SEQUENCE_ID = "notice"
PENDING = "PENDING"
DELIVERED = "DELIVERED"

APPEND = statement(
    "notices.append",
    """
    MERGE (q:NoticeSequence {id: $sequenceId})
    ON CREATE SET q.value = 0, q.createdAt = $now
    SET q.value = q.value + 1, q.updatedAt = $now
    CREATE (n:Notice {id: $id})
    SET n += $props, n.seq = q.value, n.createdAt = $now, n.updatedAt = $now
    RETURN n.id AS id, n.seq AS seq
    """,
    write=True,
    idempotent=False,
)

LAST_SEQ = statement(
    "notices.last_seq",
    """
    OPTIONAL MATCH (q:NoticeSequence {id: $sequenceId})
    RETURN coalesce(q.value, 0) AS seq
    """,
)

AFTER = statement(
    "notices.after",
    """
    MATCH (n:Notice) WHERE n.seq > $after
    WITH n ORDER BY n.seq LIMIT $limit
    RETURN n {.*} AS notice
    """,
)

CURSORS = statement(
    "notices.cursors",
    "MATCH (h:WebhookCursor) WHERE h.id IN $hooks RETURN h.id AS hook, h.seq AS seq",
)

# The cursor node is written first (SET), so on Neo4j two processes queueing for one
# hook take its lock in turn; the second then reads the cursor the first advanced.
ENQUEUE = statement(
    "notices.enqueue",
    """
    MERGE (h:WebhookCursor {id: $hook})
    ON CREATE SET h.seq = 0, h.createdAt = $now
    SET h.updatedAt = $now
    WITH h
    OPTIONAL MATCH (n:Notice) WHERE n.seq > h.seq AND n.seq <= h.seq + $batch
    WITH h, collect(n) AS found, max(n.seq) AS top
    SET h.seq = CASE WHEN top IS NOT NULL THEN top
      WHEN h.seq + $batch < $last THEN h.seq + $batch
      WHEN h.seq < $last THEN $last ELSE h.seq END
    WITH found UNWIND found AS n
    WITH n WHERE ($kinds IS NULL OR n.kind IN $kinds)
      AND ($prefix IS NULL OR coalesce(n.community, n.street, n.county, '') STARTS WITH $prefix)
    MERGE (d:Delivery {id: $hook + ':' + n.id})
    ON CREATE SET d.hook = $hook, d.noticeId = n.id, d.seq = n.seq, d.state = 'PENDING',
      d.attempts = 0, d.nextAt = $now, d.leaseUntil = 0, d.createdAt = $now, d.updatedAt = $now
    RETURN count(d) AS queued
    """,
    write=True,
)

DUE = statement(
    "notices.due",
    """
    MATCH (d:Delivery)
    WHERE d.state = 'PENDING' AND d.nextAt <= $now AND d.leaseUntil <= $now
    RETURN d.hook AS hook, count(d) AS due
    """,
)

# Claimed in two steps: the first write (claimAt) takes each candidate's write lock on
# Neo4j; the second MATCH reads the delivery again under that lock, so a lease another
# process took meanwhile is seen and the delivery skipped. FalkorDB runs one write at a
# time, so there the first read is already the last word.
CLAIM = statement(
    "notices.claim",
    """
    MATCH (d:Delivery)
    WHERE d.state = 'PENDING' AND d.hook = $hook AND d.nextAt <= $now AND d.leaseUntil <= $now
    WITH d ORDER BY d.nextAt, d.seq LIMIT $limit
    SET d.claimAt = $now
    WITH d.id AS did
    MATCH (x:Delivery {id: did})
    WHERE x.state = 'PENDING' AND x.leaseUntil <= $now
    SET x.leaseUntil = $leaseUntil, x.leaseOwner = $owner
    WITH x
    MATCH (n:Notice {id: x.noticeId})
    RETURN x.id AS id, x.attempts AS attempts, n {.*} AS notice
    """,
    write=True,
    idempotent=False,
)

DELIVERED_OK = statement(
    "notices.delivered",
    """
    MATCH (x:Delivery {id: $id}) WHERE x.state = 'PENDING'
    SET x.state = 'DELIVERED', x.deliveredAt = $now, x.attempts = x.attempts + 1,
      x.leaseUntil = 0, x.lastStatus = $status, x.updatedAt = $now
    RETURN x.id AS id
    """,
    write=True,
)

RETRY = statement(
    "notices.retry",
    """
    MATCH (x:Delivery {id: $id}) WHERE x.state = 'PENDING'
    SET x.attempts = x.attempts + 1, x.nextAt = $nextAt, x.leaseUntil = 0,
      x.lastStatus = $status, x.lastError = $error, x.updatedAt = $now
    RETURN x.id AS id, x.attempts AS attempts
    """,
    write=True,
    idempotent=False,
)

DELIVERIES = statement(
    "notices.deliveries",
    """
    MATCH (x:Delivery) WHERE x.noticeId IN $ids
    RETURN x {.*} AS delivery ORDER BY x.seq, x.hook
    """,
)
