"""Writing generated timelines (graph.timelines) in the shape of docs/closed-loop.md:
Assignments, DemandEvents, Chases, Whistles with their SUMMONS, Callbacks, and the
demands' stage. Batches of ``UNWIND $rows``; MERGE on the id, and a demand dispatched
already is not drawn again, so a second run with the same seed changes nothing. The place codes come from the demand's community.
"""

from __future__ import annotations

from graph.cypher import Statement, statement

_PLACE = """
MATCH (d:Demand {id: row.demandId})-[:FOR]->(c:Community)
WITH row, d, c.code AS code,
     substring(c.code, 0, 6) + '000000' AS county, substring(c.code, 0, 9) + '000' AS street
"""
_CODES = "county: county, street: street, community: code, demandId: d.id"


def _timeline(
    name: str, label: str, links: tuple[str, ...], *, unit: bool = False, tail: str = ""
) -> Statement:
    """One batch of timeline entries ``x`` of ``label`` on their demand ``d``: MERGE on the
    id, the place codes (and ``unitId`` of the unit ``u`` when ``unit``), then ``links``
    (MERGE patterns) and ``tail`` (what follows, by default the count written)."""
    codes = _CODES + (", unitId: u.id" if unit else "")
    merges = "\n".join(f"MERGE {link}" for link in links)
    return statement(
        f"loopgen.{name}",
        f"""
        UNWIND $rows AS row
        {_PLACE}
        {"MATCH (u:Unit {id: row.unitId})" if unit else ""}
        MERGE (x:{label} {{id: row.id}})
        ON CREATE SET x.createdAt = $now
        SET x += row.props, x += {{{codes}}}, x.updatedAt = $now
        {merges}
        {tail or "RETURN count(x) AS written"}
        """,
        write=True,
    )


ASSIGNMENTS = _timeline(
    "assignments", "Assignment", ("(d)-[:ASSIGNED]->(x)", "(x)-[:TO]->(u)"), unit=True
)
EVENTS = _timeline("events", "DemandEvent", ("(x)-[:ON]->(d)",))
CHASES = _timeline("chases", "Chase", ("(x)-[:CHASES]->(d)", "(x)-[:TO]->(u)"), unit=True)
WHISTLES = _timeline(
    "whistles",
    "Whistle",
    ("(x)-[:FOR]->(d)",),
    tail="""
    WITH x, row
    UNWIND row.summons AS s
    MATCH (u:Unit {id: s.unitId})
    MERGE (x)-[r:SUMMONS]->(u)
    SET r.due = s.due, r.respondedAt = s.respondedAt, r.response = s.response
    RETURN count(r) AS written
    """,
)
CALLBACKS = _timeline("callbacks", "Callback", ("(x)-[:OF]->(d)",))

#: a demand's list status and workflow stage after its timeline (RESOLVED once done), and
#: when it was reported (点单, before its first move: the timeline's REPORT entry)
STAGES = statement(
    "loopgen.stages",
    """
    UNWIND $rows AS row
    MATCH (d:Demand {id: row.demandId})
    SET d.status = row.status, d.stage = row.stage, d.reportedAt = row.reportedAt, d.updatedAt = $now
    RETURN count(d) AS written
    """,
    write=True,
)

#: what a generator needs of each demand: its status, urgency, class, community and the
#: units that liaise with that community (candidates for 派单), in a stable order; a
#: demand with a timeline already (dispatched: its status may be the timeline's) is left
#: out, so a second run draws the same and changes nothing
DEMANDS = statement(
    "loopgen.demands",
    """
    MATCH (d:Demand)-[:FOR]->(c:Community)
    WHERE c.code STARTS WITH $prefix
    WITH d, c, size([(d)-[:ASSIGNED]->(a:Assignment) | a.id]) AS dispatched
    WHERE dispatched = 0
    RETURN d.id AS id, d.status AS status, d.urgency AS urgency, d.matterClass AS matterClass,
           c.code AS community,
           [(u:Unit)-[:LIAISES_WITH]->(c) | u.id] AS units
    ORDER BY id
    """,
)

# -- 双报到 (graph.membergen): members, 微心愿, claims and service logs -----------------

#: the communities under ``$prefix`` with their liaison units (home units for members)
#: and their demands, for the members' draw
MEMBER_PLACES = statement(
    "loopgen.member_places",
    """
    MATCH (c:Community) WHERE c.code STARTS WITH $prefix
    RETURN c.id AS community, [(u:Unit)-[:LIAISES_WITH]->(c) | u.id] AS units,
           [(d:Demand)-[:FOR]->(c) | d.id] AS demands
    ORDER BY community
    """,
)

MEMBERS = statement(
    "loopgen.members",
    """
    UNWIND $rows AS row
    MATCH (u:Unit {id: row.props.homeUnitId})
    MATCH (c:Community {id: row.props.community})
    MERGE (m:Member {id: row.id})
    ON CREATE SET m.createdAt = $now
    SET m += row.props, m.updatedAt = $now
    MERGE (m)-[:HOME_UNIT]->(u)
    MERGE (m)-[:LIVES_IN]->(c)
    RETURN count(m) AS written
    """,
    write=True,
)

#: 微心愿 (a claimed one carries ``memberId`` and ``claimedAt``; its claim: ``CLAIMS``)
WISHES = statement(
    "loopgen.wishes",
    """
    UNWIND $rows AS row
    MATCH (c:Community {id: row.props.community})
    MERGE (x:Wish {id: row.id})
    ON CREATE SET x.createdAt = $now
    SET x += row.props, x.updatedAt = $now
    MERGE (x)-[:IN]->(c)
    RETURN count(x) AS written
    """,
    write=True,
)


def _claims(label: str) -> Statement:
    return statement(
        f"loopgen.claims.{label.lower()}",
        f"""
        UNWIND $rows AS row
        MATCH (m:Member {{id: row.memberId}})
        MATCH (t:{label} {{id: row.targetId}})
        MERGE (m)-[r:CLAIMED]->(t)
        SET r.at = row.at
        RETURN count(r) AS written
        """,
        write=True,
    )


#: a member's claim of a demand of their community (its stage is not touched) or a wish
CLAIMS: dict[str, Statement] = {label: _claims(label) for label in ("Demand", "Wish")}


def _service_logs(label: str) -> Statement:
    return statement(
        f"loopgen.service_logs.{label.lower()}",
        f"""
        UNWIND $rows AS row
        MATCH (m:Member {{id: row.props.memberId}})
        MATCH (t:{label} {{id: row.props.targetId}})
        MERGE (s:ServiceLog {{id: row.id}})
        ON CREATE SET s.createdAt = $now
        SET s += row.props, s.updatedAt = $now
        MERGE (s)-[:BY]->(m)
        MERGE (s)-[:FOR]->(t)
        RETURN count(s) AS written
        """,
        write=True,
    )


#: 服务时长 on a demand or a 微心愿, some confirmed (``confirmedAt``)
SERVICE_LOGS: dict[str, Statement] = {label: _service_logs(label) for label in ("Demand", "Wish")}
