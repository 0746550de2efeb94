"""双报到: members, 微心愿, service logs and the confirmed hours per member and home unit.

The shape is docs/closed-loop.md's "Members (双报到) and service hours":
``(m:Member)-[:HOME_UNIT]->(u:Unit)``, ``(m)-[:LIVES_IN]->(c:Community)``,
``(x:Wish)-[:IN]->(c)``, ``(m)-[:CLAIMED {at}]->(x | d:Demand)``,
``(s:ServiceLog)-[:BY]->(m)``, ``(s)-[:FOR]->(d | x)``. Every time is ``$now`` or a
parameter; totals count confirmed logs only (``confirmedAt`` set).
"""

from __future__ import annotations

from graph.cypher import Statement, identifier, statement
from graph.queries.nodes import GET

#: what a member serves on
SERVED: tuple[str, ...] = ("Demand", "Wish")


def _in_community(name: str, label: str) -> Statement:
    """The ``label`` nodes of the communities ``$ids``, newest first (never by name)."""
    label = identifier(label, ("Member", "Wish"))
    return statement(
        f"members.{name}",
        f"""
        MATCH (x:{label}) WHERE x.community IN $ids
        RETURN x.community AS key, x {{.*}} AS node ORDER BY x.createdAt DESC, x.id
        """,
    )


# -- members -----------------------------------------------------------------------------

#: by id, the generic ``nodes.GET`` (rows ``id``, ``node``)
MEMBER_GET = GET["Member"]
#: newest first (never sorted by name: a name is personal data)
MEMBERS_IN_COMMUNITY = _in_community("in_community", "Member")
CREATE_MEMBER = statement(
    "members.create",
    """
    MATCH (u:Unit {id: $unitId})
    MATCH (c:Community {id: $community})
    CREATE (m:Member {id: $id})
    SET m += $props, m.createdAt = $now, m.updatedAt = $now
    CREATE (m)-[:HOME_UNIT]->(u)
    CREATE (m)-[:LIVES_IN]->(c)
    RETURN m.id AS id
    """,
    write=True,
    idempotent=False,
)

# -- 微心愿 ------------------------------------------------------------------------------

WISH_GET = GET["Wish"]
WISHES_IN_COMMUNITY = _in_community("wishes_in_community", "Wish")
CREATE_WISH = statement(
    "members.create_wish",
    """
    MATCH (c:Community {id: $community})
    CREATE (x:Wish {id: $id})
    SET x += $props, x.status = 'OPEN', x.createdAt = $now, x.updatedAt = $now
    CREATE (x)-[:IN]->(c)
    RETURN x.id AS id
    """,
    write=True,
    idempotent=False,
)
#: an open wish, claimed by a member of its community; no row when either check fails
CLAIM_WISH = statement(
    "members.claim_wish",
    """
    MATCH (x:Wish {id: $wishId}) WHERE x.status = 'OPEN'
    MATCH (m:Member {id: $memberId}) WHERE m.community = x.community
    SET x.status = 'CLAIMED', x.memberId = m.id, x.claimedAt = $now, x.updatedAt = $now
    CREATE (m)-[:CLAIMED {at: $now}]->(x)
    RETURN x.id AS id
    """,
    write=True,
    idempotent=False,
)
FINISH_WISH = statement(
    "members.finish_wish",
    """
    MATCH (x:Wish {id: $wishId}) WHERE x.status = 'CLAIMED'
    SET x.status = 'DONE', x.doneAt = $now, x.updatedAt = $now
    RETURN x.id AS id
    """,
    write=True,
)

# -- a member claims a demand of their community (the workflow stage is not touched) ----

DEMAND_COMMUNITY = statement(
    "members.demand_community",
    "MATCH (d:Demand {id: $id})-[:FOR]->(c:Community) RETURN c.id AS community",
)
CLAIM_DEMAND = statement(
    "members.claim_demand",
    """
    MATCH (d:Demand {id: $demandId})-[:FOR]->(c:Community)
    MATCH (m:Member {id: $memberId}) WHERE m.community = c.id
    MERGE (m)-[r:CLAIMED]->(d)
    ON CREATE SET r.at = $now
    RETURN d.id AS id, r.at AS at
    """,
    write=True,
)
CLAIMED_BY = statement(
    "members.claimed_by",
    """
    MATCH (m:Member)-[r:CLAIMED]->(t) WHERE m.id IN $ids
    RETURN m.id AS key, t.id AS id, r.at AS at ORDER BY r.at DESC, t.id
    """,
)

# -- service logs ------------------------------------------------------------------------

LOG_GET = GET["ServiceLog"]
LOGS_OF_MEMBER = statement(
    "members.logs_of_member",
    """
    MATCH (s:ServiceLog)-[:BY]->(m:Member) WHERE m.id IN $ids
    RETURN m.id AS key, s {.*} AS node ORDER BY s.at DESC, s.id
    """,
)


def _log_service(label: str) -> Statement:
    label = identifier(label, SERVED)
    return statement(
        f"members.log_service.{label.lower()}",
        f"""
        MATCH (m:Member {{id: $memberId}})
        MATCH (t:{label} {{id: $targetId}})
        CREATE (s:ServiceLog {{id: $id}})
        SET s += $props, s.createdAt = $now, s.updatedAt = $now
        CREATE (s)-[:BY]->(m)
        CREATE (s)-[:FOR]->(t)
        RETURN s.id AS id
        """,
        write=True,
        idempotent=False,
    )


LOG_SERVICE: dict[str, Statement] = {label: _log_service(label) for label in SERVED}

CONFIRM_SERVICE = statement(
    "members.confirm_service",
    """
    MATCH (s:ServiceLog {id: $id}) WHERE s.confirmedAt IS NULL
    SET s.confirmedAt = $now, s.updatedAt = $now
    RETURN s.id AS id
    """,
    write=True,
)

# -- totals: confirmed hours in [$from, $to) ---------------------------------------------

_CONFIRMED = "s.confirmedAt IS NOT NULL AND s.at >= $from AND s.at < $to"

#: every member living under the scope prefix, with their confirmed hours (0 for none);
#: sums cast, so both backends answer alike (FalkorDB sums integers to a float, Neo4j an
#: empty sum to the integer 0)
HOURS_BY_MEMBER = statement(
    "members.hours_by_member",
    f"""
    MATCH (m:Member) WHERE m.community STARTS WITH $prefix
    OPTIONAL MATCH (s:ServiceLog)-[:BY]->(m) WHERE {_CONFIRMED}
    WITH m, toFloat(sum(s.hours)) AS hours, count(s) AS logs
    RETURN m {{.*}} AS node, hours, logs
    ORDER BY m.homeUnitId, hours DESC, m.createdAt, m.id
    """,
)
#: per home unit: its members living under the scope prefix, their hours and logs
HOURS_BY_UNIT = statement(
    "members.hours_by_unit",
    f"""
    MATCH (m:Member)-[:HOME_UNIT]->(u:Unit) WHERE m.community STARTS WITH $prefix
    OPTIONAL MATCH (s:ServiceLog)-[:BY]->(m) WHERE {_CONFIRMED}
    WITH u, m, toFloat(sum(s.hours)) AS hours, count(s) AS logs
    WITH u, count(m) AS members, toFloat(sum(hours)) AS hours, toInteger(sum(logs)) AS logs
    RETURN u.id AS unitId, u.name AS unitName, members, hours, logs
    ORDER BY hours DESC, unitName, unitId
    """,
)
#: a unit's members' confirmed hours, wherever they live
HOURS_OF_UNIT = statement(
    "members.hours_of_unit",
    f"""
    MATCH (s:ServiceLog) WHERE s.homeUnitId IN $ids AND {_CONFIRMED}
    RETURN s.homeUnitId AS key, sum(s.hours) AS hours, count(s) AS logs
    """,
)
