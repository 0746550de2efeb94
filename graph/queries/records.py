"""What the mechanism records: co-building agreements (共建协议), joint meetings
(联席会议) and evaluations (晒绩自评、群众测评、组织考评)."""

from __future__ import annotations

from graph.cypher import Statement, identifier, statement

#: where a joint meeting is held
MEETING_PLACES: tuple[str, ...] = ("County", "Street", "Community")
#: what an evaluation evaluates
EVALUATED: tuple[str, ...] = ("Project", "Unit")

# -- agreements: (Unit)-[:SIGNED]->(Agreement)-[:WITH]->(Community) ---------------------

_AGREEMENT_MATCH = "MATCH (u:Unit)-[:SIGNED]->(a:Agreement)-[:WITH]->(c:Community)"
_AGREEMENT = "a {.*, unitId: u.id, communityId: c.id}"

AGREEMENT_GET = statement(
    "records.agreement_get",
    f"{_AGREEMENT_MATCH} WHERE a.id IN $ids RETURN a.id AS key, {_AGREEMENT} AS node",
)
AGREEMENTS_OF_UNIT = statement(
    "records.agreements_of_unit",
    f"""
    {_AGREEMENT_MATCH} WHERE u.id IN $ids
    RETURN u.id AS key, {_AGREEMENT} AS node ORDER BY a.signedOn DESC, a.id
    """,
)
AGREEMENTS_OF_COMMUNITY = statement(
    "records.agreements_of_community",
    f"""
    {_AGREEMENT_MATCH} WHERE c.id IN $ids
    RETURN c.id AS key, {_AGREEMENT} AS node ORDER BY a.signedOn DESC, a.id
    """,
)
CREATE_AGREEMENT = statement(
    "records.create_agreement",
    """
    MATCH (u:Unit {id: $unitId})
    MATCH (c:Community {id: $communityId})
    CREATE (a:Agreement {id: $id})
    SET a += $props, a.createdAt = $now, a.updatedAt = $now
    CREATE (u)-[:SIGNED]->(a)
    CREATE (a)-[:WITH]->(c)
    RETURN a.id AS id
    """,
    write=True,
    idempotent=False,
)

# -- meetings: (Meeting)-[:IN]->(place), -[:AGREED]->(Project), -[:DISCUSSED]->(Demand) ---

_MEETING = "m {.*, placeId: pl.id}"

MEETING_GET = statement(
    "records.meeting_get",
    f"""
    MATCH (m:Meeting)-[:IN]->(pl) WHERE m.id IN $ids
    RETURN m.id AS key, {_MEETING} AS node
    """,
)
MEETINGS_OF_PROJECT = statement(
    "records.meetings_of_project",
    f"""
    MATCH (m:Meeting)-[:AGREED]->(pr:Project) WHERE pr.id IN $ids
    MATCH (m)-[:IN]->(pl)
    RETURN pr.id AS key, {_MEETING} AS node ORDER BY m.heldOn DESC, m.id
    """,
)
MEETINGS_IN_COMMUNITY = statement(
    "records.meetings_in_community",
    f"""
    MATCH (m:Meeting)-[:IN]->(pl:Community) WHERE pl.id IN $ids
    RETURN pl.id AS key, {_MEETING} AS node ORDER BY m.heldOn DESC, m.id
    """,
)
#: ids only: the projects and demands themselves come from their own loaders
AGREED_PROJECTS = statement(
    "records.agreed_projects",
    """
    MATCH (m:Meeting)-[:AGREED]->(pr:Project) WHERE m.id IN $ids
    RETURN m.id AS key, pr.id AS id ORDER BY pr.name, pr.id
    """,
)
DISCUSSED_DEMANDS = statement(
    "records.discussed_demands",
    """
    MATCH (m:Meeting)-[:DISCUSSED]->(d:Demand) WHERE m.id IN $ids
    RETURN m.id AS key, d.id AS id ORDER BY d.title, d.id
    """,
)


def _create_meeting(label: str) -> Statement:
    label = identifier(label, MEETING_PLACES)
    return statement(
        f"records.create_meeting.{label}",
        f"""
        MATCH (pl:{label} {{id: $placeId}})
        CREATE (m:Meeting {{id: $id}})
        SET m += $props, m.createdAt = $now, m.updatedAt = $now
        CREATE (m)-[:IN]->(pl)
        WITH m
        OPTIONAL MATCH (pr:Project) WHERE pr.id IN $projectIds
        WITH m, collect(pr) AS projects
        OPTIONAL MATCH (d:Demand) WHERE d.id IN $demandIds
        WITH m, projects, collect(d) AS demands
        FOREACH (x IN projects | CREATE (m)-[:AGREED]->(x))
        FOREACH (x IN demands | CREATE (m)-[:DISCUSSED]->(x))
        RETURN m.id AS id, size(projects) AS projects, size(demands) AS demands
        """,
        write=True,
        idempotent=False,
    )


CREATE_MEETING = {label: _create_meeting(label) for label in MEETING_PLACES}

# -- evaluations: (Evaluation)-[:EVALUATES]->(Project|Unit) ------------------------------

_EVALUATION = (
    "e {.*, targetId: t.id, "
    "targetCodes: [(t)-[:IN]->(c:Community) | c.code] + [(t)-[:IN_COUNTY]->(k:County) | k.code], "
    "targetUnitIds: [x IN [t] WHERE x:Unit | x.id] + [(t)-[:LED_BY|JOINED_BY]->(x:Unit) | x.id]}"
)

EVALUATION_GET = statement(
    "records.evaluation_get",
    f"""
    MATCH (e:Evaluation)-[:EVALUATES]->(t) WHERE e.id IN $ids
    RETURN e.id AS key, {_EVALUATION} AS node
    """,
)


def _evaluations_of(label: str) -> Statement:
    label = identifier(label, EVALUATED)
    return statement(
        f"records.evaluations_of.{label}",
        f"""
        MATCH (e:Evaluation)-[:EVALUATES]->(t:{label}) WHERE t.id IN $ids
        RETURN t.id AS key, {_EVALUATION} AS node ORDER BY e.createdAt DESC, e.id
        """,
    )


def _create_evaluation(label: str) -> Statement:
    label = identifier(label, EVALUATED)
    return statement(
        f"records.create_evaluation.{label}",
        f"""
        MATCH (t:{label} {{id: $targetId}})
        CREATE (e:Evaluation {{id: $id}})
        SET e += $props, e.createdAt = $now, e.updatedAt = $now
        CREATE (e)-[:EVALUATES]->(t)
        RETURN e.id AS id
        """,
        write=True,
        idempotent=False,
    )


EVALUATIONS_OF = {label: _evaluations_of(label) for label in EVALUATED}
CREATE_EVALUATION = {label: _create_evaluation(label) for label in EVALUATED}
