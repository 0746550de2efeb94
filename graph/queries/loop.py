"""The closed loop's writes and reads (docs/closed-loop.md): assignments, the
timeline, chases, whistles, call-backs, the overdue sweep.

Every write checks the stage the caller saw (``$fromStage``) in the same statement, so
two moves at once cannot both happen; each creates its DemandEvent. Times come in
as ``$now`` (``domain.clock``), never ``timestamp()``.
"""

from __future__ import annotations

from graph.cypher import Statement, statement
from graph.queries import notices

_STAGE = "coalesce(d.stage, 'REPORTED')"
_EVENT = """
CREATE (e:DemandEvent {id: $eventId})
SET e += $event, e.createdAt = $now, e.updatedAt = $now
CREATE (e)-[:ON]->(d)
"""
#: the assignment that is open: neither done nor returned
_OPEN = "a.doneAt IS NULL AND a.returnedAt IS NULL"
#: an open assignment ``a`` past a limit at ``$now``
OVERDUE = f"({_OPEN} AND ((a.acceptedAt IS NULL AND $now > a.acceptDue) OR $now > a.finishDue))"
#: the units a demand concerns (dispatched to, summoned): they read it
UNITS = (
    "[(d)-[:ASSIGNED]->(:Assignment)-[:TO]->(u1:Unit) | u1.id] + "
    "[(d)<-[:FOR]-(:Whistle)-[:SUMMONS]->(u2:Unit) | u2.id]"
)
#: whether the demand ``d`` is overdue at ``$now`` (its open assignment is)
DEMAND_OVERDUE = f"size([(d)-[:ASSIGNED]->(a:Assignment) WHERE {OVERDUE} | a.id]) > 0"

# sent first in every move's unit: on Neo4j the write takes the demand's lock, so the
# move's own check of the stage reads what the move before it committed (two dispatches
# at once: the second sees DISPATCHED and writes nothing)
LOCK = statement(
    "loop.lock",
    "MATCH (d:Demand {id: $id}) SET d._lock = true REMOVE d._lock RETURN count(d) AS locked",
    write=True,
)

# 派单 and 重办: a new Assignment to the unit, stage DISPATCHED
ASSIGN = statement(
    "loop.assign",
    f"""
    MATCH (d:Demand {{id: $id}})
    WHERE {_STAGE} = $fromStage
    MATCH (u:Unit {{id: $unitId}})
    SET d.stage = 'DISPATCHED', d.status = coalesce($status, d.status), d.updatedAt = $now
    CREATE (a:Assignment {{id: $assignmentId}})
    SET a += $assignment, a.createdAt = $now, a.updatedAt = $now
    CREATE (d)-[:ASSIGNED]->(a)
    CREATE (a)-[:TO]->(u)
    {_EVENT}
    RETURN d.id AS id, a.id AS assignmentId
    """,
    write=True,
    idempotent=False,
)

# 接单, 实施, 办结, 退回: the open assignment moves on with the demand's stage
MOVE = statement(
    "loop.move",
    f"""
    MATCH (d:Demand {{id: $id}})-[:ASSIGNED]->(a:Assignment {{id: $assignmentId}})
    WHERE {_STAGE} = $fromStage AND {_OPEN}
    SET d.stage = $toStage, d.status = coalesce($status, d.status), d.updatedAt = $now,
        a += $assignment, a.updatedAt = $now
    {_EVENT}
    RETURN d.id AS id
    """,
    write=True,
    idempotent=False,
)

# 督办: to the unit of the open assignment
CHASE = statement(
    "loop.chase",
    f"""
    MATCH (d:Demand {{id: $id}})-[:ASSIGNED]->(a:Assignment {{id: $assignmentId}})-[:TO]->(u:Unit)
    WHERE {_STAGE} = $fromStage AND {_OPEN}
    SET d.updatedAt = $now
    CREATE (x:Chase {{id: $chaseId}})
    SET x += $chase, x.createdAt = $now, x.updatedAt = $now
    CREATE (x)-[:CHASES]->(d)
    CREATE (x)-[:TO]->(u)
    {_EVENT}
    RETURN d.id AS id, u.id AS unitId
    """,
    write=True,
    idempotent=False,
)

# 吹哨: a whistle for the demand, summoning each unit with its 报到 limit
WHISTLE = statement(
    "loop.whistle",
    f"""
    MATCH (d:Demand {{id: $id}})
    WHERE {_STAGE} = $fromStage
    SET d.updatedAt = $now
    CREATE (w:Whistle {{id: $whistleId}})
    SET w += $whistle, w.createdAt = $now, w.updatedAt = $now
    CREATE (w)-[:FOR]->(d)
    {_EVENT}
    WITH d, w
    UNWIND $summons AS s
    MATCH (u:Unit {{id: s.unitId}})
    CREATE (w)-[:SUMMONS {{due: s.due}}]->(u)
    RETURN d.id AS id, u.id AS unitId
    """,
    write=True,
    idempotent=False,
)

# 报到: a summoned unit responds, once
RESPOND = statement(
    "loop.respond",
    f"""
    MATCH (w:Whistle {{id: $whistleId}})-[s:SUMMONS]->(u:Unit {{id: $unitId}})
    WHERE s.respondedAt IS NULL
    MATCH (w)-[:FOR]->(d:Demand)
    SET s.respondedAt = $now, s.response = $response, w.updatedAt = $now, d.updatedAt = $now
    {_EVENT}
    RETURN d.id AS id
    """,
    write=True,
    idempotent=False,
)

# 回访: after 办结; 满意/基本满意 -> EVALUATED ($toStage), 不满意 keeps DONE for the reopen
CALLBACK = statement(
    "loop.callback",
    f"""
    MATCH (d:Demand {{id: $id}})
    WHERE {_STAGE} = $fromStage
    SET d.stage = coalesce($toStage, d.stage), d.updatedAt = $now
    CREATE (r:Callback {{id: $callbackId}})
    SET r += $callback, r.createdAt = $now, r.updatedAt = $now
    CREATE (r)-[:OF]->(d)
    {_EVENT}
    RETURN d.id AS id
    """,
    write=True,
    idempotent=False,
)

# the sweep: open assignments past a limit whose OVERDUE notice is not written yet
OVERDUE_FOUND = statement(
    "loop.overdue_found",
    f"""
    MATCH (a:Assignment)
    WHERE {OVERDUE} AND coalesce(a.overdueNotified, false) = false
    WITH a ORDER BY a.dispatchedAt, a.id LIMIT $limit
    RETURN a {{.*}} AS node
    """,
)

# marks one and appends its notice in one statement: two sweeps write it once
OVERDUE_NOTICE = statement(
    "loop.overdue_notice",
    f"""
    MATCH (a:Assignment {{id: $assignmentId}})
    WHERE {OVERDUE} AND coalesce(a.overdueNotified, false) = false
    SET a.overdueNotified = true, a.updatedAt = $now
    WITH a
    {notices.APPEND.text}
    """,
    write=True,
    idempotent=False,
)

_KEYED = "MATCH (d:Demand)-[:FOR]->(c:Community) WHERE d.id IN $ids WITH d, c, {units} AS units"


def _of_demand(name: str, match: str, node: str, extra: str = "") -> Statement:
    """One of a demand's loop records, keyed by the demand, oldest first, carrying what the
    reader decides on (the units it concerns, the community's code)."""
    return statement(
        f"loop.{name}",
        f"""
        {_KEYED.format(units=UNITS)}
        {match}
        RETURN d.id AS key, {node} {{.*, {extra}readUnits: units, community: c.code}} AS node
        ORDER BY {node}.at, {node}.id
        """,
    )


ASSIGNMENTS_OF = statement(
    "loop.assignments_of",
    f"""
    {_KEYED.format(units=UNITS)}
    MATCH (d)-[:ASSIGNED]->(a:Assignment)-[:TO]->(u:Unit)
    RETURN d.id AS key, a {{.*, unitId: u.id, readUnits: units, community: c.code}} AS node
    ORDER BY a.dispatchedAt, a.id
    """,
)
#: the timeline: the demand's own 点单 entry (REPORT, synthesized from the demand: when it
#: was reported, ``reportedAt``, else recorded, ``createdAt``; by its community), then its
#: DemandEvents; oldest first, the REPORT before anything at the same time
EVENTS_OF = statement(
    "loop.events_of",
    f"""
    {_KEYED.format(units=UNITS)}
    WITH d, c, units,
         [{{id: d.id + ':report', kind: 'REPORT', at: coalesce(d.reportedAt, d.createdAt),
            actorRole: null, actorScope: c.code, unitId: null, note: null, demandId: d.id,
            createdAt: d.createdAt, updatedAt: d.createdAt}}]
         + [(e:DemandEvent)-[:ON]->(d) | e {{.*}}] AS events
    UNWIND events AS e
    RETURN d.id AS key, e {{.*, readUnits: units, community: c.code}} AS node
    ORDER BY e.at, CASE WHEN e.kind = 'REPORT' THEN 0 ELSE 1 END, e.id
    """,
)
CHASES_OF = _of_demand(
    "chases_of", "MATCH (x:Chase)-[:CHASES]->(d) MATCH (x)-[:TO]->(u:Unit)", "x", "unitId: u.id, "
)
CALLBACKS_OF = _of_demand("callbacks_of", "MATCH (r:Callback)-[:OF]->(d)", "r")

WHISTLES_OF = statement(
    "loop.whistles_of",
    f"""
    {_KEYED.format(units=UNITS)}
    MATCH (w:Whistle)-[:FOR]->(d)
    OPTIONAL MATCH (w)-[s:SUMMONS]->(u:Unit)
    WITH d, c, units, w, collect({{unitId: u.id, due: s.due, respondedAt: s.respondedAt,
      response: s.response}}) AS summons
    RETURN d.id AS key, w {{.*, summons: [x IN summons WHERE x.unitId IS NOT NULL],
      readUnits: units, community: c.code}} AS node
    ORDER BY w.at, w.id
    """,
)

WHISTLE_GET = statement(
    "loop.whistle_get",
    """
    MATCH (w:Whistle {id: $id})-[:FOR]->(d:Demand)
    RETURN w.id AS id, d.id AS demandId, [(w)-[:SUMMONS]->(u:Unit) | u.id] AS units
    """,
)

# a unit's open assignments (its work), newest first
OPEN_OF_UNIT = statement(
    "loop.open_of_unit",
    f"""
    MATCH (u:Unit)<-[:TO]-(a:Assignment)<-[:ASSIGNED]-(d:Demand)-[:FOR]->(c:Community)
    WHERE u.id IN $ids AND {_OPEN}
    WITH u, a, c, {UNITS} AS units
    RETURN u.id AS key, a {{.*, unitId: u.id, readUnits: units, community: c.code}} AS node
    ORDER BY a.dispatchedAt DESC, a.id
    """,
)
