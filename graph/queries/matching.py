"""Statements of matching (``resolvers.matching``): candidates, ties, track records,
plan acceptance and gap analytics.

Candidate lists can be thousands of rows, and the client pays for every value it
parses; so the hot candidate statements return one packed string per row
(``id␟version␟…`` joined by ``$sep``) and the static fields come from a cache keyed
by ``updatedAt``. Everything else returns plain columns.
"""

from __future__ import annotations

from graph.cypher import Statement, statement

#: where a scope id may sit; the communities in it, with their street and county
SCOPE_LABELS = ("County", "Street", "Community")

_PLACE_COLUMNS = "c.id AS id, c.name AS name, s.id AS streetId, k.id AS countyId"

COMMUNITIES_IN: dict[str, Statement] = {
    "County": statement(
        "matching.communities_in.County",
        f"""
        MATCH (k:County {{id: $scope}})<-[:PART_OF]-(s:Street)<-[:PART_OF]-(c:Community)
        RETURN {_PLACE_COLUMNS}
        """,
    ),
    "Street": statement(
        "matching.communities_in.Street",
        f"""
        MATCH (s:Street {{id: $scope}})<-[:PART_OF]-(c:Community)
        OPTIONAL MATCH (s)-[:PART_OF]->(k:County)
        RETURN {_PLACE_COLUMNS}
        """,
    ),
    # a prefecture-level city (市): every county whose code starts with the city's 4 digits
    "City": statement(
        "matching.communities_in.City",
        f"""
        MATCH (k:County)<-[:PART_OF]-(s:Street)<-[:PART_OF]-(c:Community)
        WHERE k.id STARTS WITH substring($scope, 0, 4)
        RETURN {_PLACE_COLUMNS}
        """,
    ),
    "Community": statement(
        "matching.communities_in.Community",
        f"""
        MATCH (c:Community {{id: $scope}})
        OPTIONAL MATCH (c)-[:PART_OF]->(s:Street)
        OPTIONAL MATCH (s)-[:PART_OF]->(k:County)
        RETURN {_PLACE_COLUMNS}
        """,
    ),
}

# -- candidates (packed rows) ----------------------------------------------------------


def _resources_at(label: str) -> Statement:
    return statement(
        f"matching.resources_at.{label}",
        f"""
        MATCH (p:{label}) WHERE p.id IN $places
        MATCH (p)<-[:AVAILABLE_IN]-(r:Resource)
        RETURN p.id AS place,
               collect(r.id + $sep + toString(r.updatedAt) + $sep
                       + toString(coalesce(r.allocated, 0)) + $sep
                       + coalesce(r.status, $available)) AS rows
        """,
    )


#: per place, the resources available there: ``id␟updatedAt␟allocated␟status`` (a
#: resource's unit is part of its identity: it comes with the cached details)
RESOURCES_AT: dict[str, Statement] = {label: _resources_at(label) for label in SCOPE_LABELS}

#: the static side of resources, cached by ``version`` (updatedAt)
RESOURCE_DETAILS = statement(
    "matching.resource_details",
    """
    MATCH (r:Resource) WHERE r.id IN $ids
    OPTIONAL MATCH (u:Unit)-[:OFFERS]->(r)
    RETURN r.id AS id, r.updatedAt AS version, r.name AS name, r.description AS description,
           r.category AS category, r.capacity AS capacity, r.measure AS measure,
           u.id AS unitId, u.name AS unitName
    """,
)

#: one resource's current state and every place it is available in
RESOURCE_PLACES = statement(
    "matching.resource_places",
    """
    MATCH (r:Resource {id: $id})
    OPTIONAL MATCH (r)-[:AVAILABLE_IN]->(p)
    RETURN r.id AS id, r.updatedAt AS version, coalesce(r.allocated, 0) AS allocated,
           coalesce(r.status, $available) AS status, collect(p.id) AS places
    """,
)

#: demands of the communities with one of the statuses: ``id␟updatedAt␟community``
DEMANDS_OF = statement(
    "matching.demands_of",
    """
    MATCH (c:Community) WHERE c.id IN $communities
    MATCH (c)<-[:FOR]-(d:Demand)
    WITH c, d WHERE d.status IN $statuses
    RETURN d.id + $sep + toString(d.updatedAt) + $sep + c.id AS row
    """,
)

DEMAND_DETAILS = statement(
    "matching.demand_details",
    """
    MATCH (d:Demand)-[:FOR]->(c:Community) WHERE d.id IN $ids
    RETURN d.id AS id, d.updatedAt AS version, d.title AS title, d.description AS description,
           d.category AS category, d.matterClass AS matterClass, d.urgency AS urgency,
           d.status AS status, d.households AS households, c.id AS communityId
    """,
)

#: one demand with its community, street and county (matchResources)
DEMAND_CONTEXT = statement(
    "matching.demand_context",
    """
    MATCH (d:Demand {id: $id})-[:FOR]->(c:Community)
    OPTIONAL MATCH (c)-[:PART_OF]->(s:Street)
    OPTIONAL MATCH (s)-[:PART_OF]->(k:County)
    RETURN d.id AS id, d.updatedAt AS version, d.title AS title, d.description AS description,
           d.category AS category, d.matterClass AS matterClass, d.urgency AS urgency,
           d.status AS status, d.households AS households, c.id AS communityId,
           c.name AS name, s.id AS streetId, k.id AS countyId
    """,
)

# -- units ------------------------------------------------------------------------------

#: ties of units to communities (and streets, for units sited there): ``kind`` is one
#: of $lead, $liaison, $agreement, $located
TIES = statement(
    "matching.ties",
    """
    MATCH (c:Community)<-[l:LIAISES_WITH]-(u:Unit) WHERE c.id IN $communities
    RETURN u.id AS unit, c.id AS place,
           CASE WHEN coalesce(l.lead, false) THEN $lead ELSE $liaison END AS kind
    UNION ALL
    MATCH (c:Community)<-[:WITH]-(:Agreement)<-[:SIGNED]-(u:Unit) WHERE c.id IN $communities
    RETURN u.id AS unit, c.id AS place, $agreement AS kind
    UNION ALL
    MATCH (c:Community)<-[:LOCATED_IN]-(u:Unit) WHERE c.id IN $communities
    RETURN u.id AS unit, c.id AS place, $located AS kind
    UNION ALL
    MATCH (s:Street)<-[:LOCATED_IN]-(u:Unit) WHERE s.id IN $streets
    RETURN u.id AS unit, s.id AS place, $located AS kind
    """,
)

#: name, county and delivered projects of units
UNIT_PROFILES = statement(
    "matching.unit_profiles",
    """
    MATCH (u:Unit) WHERE u.id IN $ids
    OPTIONAL MATCH (u)-[:IN_COUNTY]->(k:County)
    OPTIONAL MATCH (u)<-[:LED_BY]-(p:Project)
    WITH u, k, p
    RETURN u.id AS id, u.name AS name, k.id AS countyId,
           count(DISTINCT CASE WHEN p.status IN $delivered THEN p.id END) AS delivered
    """,
)

#: evaluation scores of units, directly or through the projects they led
UNIT_EVALUATIONS = statement(
    "matching.unit_evaluations",
    """
    MATCH (u:Unit)<-[:EVALUATES]-(e:Evaluation) WHERE u.id IN $ids
    RETURN u.id AS unit, e.id AS evaluation, e.score AS score
    UNION ALL
    MATCH (u:Unit)<-[:LED_BY]-(:Project)<-[:EVALUATES]-(e:Evaluation) WHERE u.id IN $ids
    RETURN u.id AS unit, e.id AS evaluation, e.score AS score
    """,
)

# -- accepting a plan -------------------------------------------------------------------

#: One project from one plan item, in one statement: the demand is still open, the
#: resource available, in the demand's scope and with capacity left, and no project of
#: this id exists; then create and take the capacity. No row back: nothing written.
ACCEPT = statement(
    "matching.accept",
    """
    MATCH (d:Demand {id: $demandId})-[:FOR]->(c:Community)
    MATCH (r:Resource {id: $resourceId})<-[:OFFERS]-(u:Unit)
    WHERE d.status = $open AND coalesce(r.status, $available) = $available
      AND coalesce(r.allocated, 0) + $quantity <= r.capacity
    OPTIONAL MATCH (c)-[:PART_OF]->(s:Street)
    OPTIONAL MATCH (s)-[:PART_OF]->(k:County)
    WITH d, c, r, u, [x IN [c.id, s.id, k.id] WHERE x IS NOT NULL] AS near
    OPTIONAL MATCH (r)-[:AVAILABLE_IN]->(p) WHERE p.id IN near
    WITH d, c, r, u, count(p) AS reach
    WHERE reach > 0
    OPTIONAL MATCH (existing:Project {id: $id})
    WITH d, c, r, u, existing WHERE existing IS NULL
    CREATE (pr:Project {id: $id})
    SET pr += $props, pr.createdAt = $now, pr.updatedAt = $now
    CREATE (pr)-[:IN]->(c)
    CREATE (pr)-[:MEETS]->(d)
    CREATE (pr)-[:USES {quantity: $quantity}]->(r)
    CREATE (pr)-[:LED_BY]->(u)
    SET r.allocated = coalesce(r.allocated, 0) + $quantity, r.updatedAt = $now,
        d.status = $matched, d.updatedAt = $now
    RETURN pr.id AS id, r.allocated AS allocated
    """,
    write=True,
    idempotent=False,
)

#: Why an item was not accepted: the facts ACCEPT checks, read back.
ACCEPT_CHECK = statement(
    "matching.accept_check",
    """
    OPTIONAL MATCH (d:Demand {id: $demandId})
    OPTIONAL MATCH (d)-[:FOR]->(c:Community)
    OPTIONAL MATCH (c)-[:PART_OF]->(s:Street)
    OPTIONAL MATCH (s)-[:PART_OF]->(k:County)
    OPTIONAL MATCH (r:Resource {id: $resourceId})
    OPTIONAL MATCH (existing:Project {id: $id})
    WITH d, r, existing, [x IN [c.id, s.id, k.id] WHERE x IS NOT NULL] AS near
    RETURN d IS NOT NULL AS demand, d.status AS demandStatus, r IS NOT NULL AS resource,
           coalesce(r.status, $available) AS resourceStatus,
           r.capacity - coalesce(r.allocated, 0) AS left,
           size([(r)-[:AVAILABLE_IN]->(p) WHERE p.id IN near | p]) > 0 AS inScope,
           existing IS NOT NULL AS exists,
           size([(r)<-[:OFFERS]-(u:Unit) | u]) > 0 AS offered
    """,
)

# -- gap analytics ------------------------------------------------------------------------

#: open demands by community and category
OPEN_DEMANDS = statement(
    "matching.open_demands",
    """
    MATCH (c:Community) WHERE c.id IN $communities
    MATCH (c)<-[:FOR]-(d:Demand)
    WITH c, d WHERE d.status IN $statuses
    RETURN c.id AS community, d.category AS category, d.id AS id, d.urgency AS urgency
    """,
)

#: resources available in the places with nothing allocated and no project using them
IDLE_RESOURCES = statement(
    "matching.idle_resources",
    """
    MATCH (p) WHERE (p:County OR p:Street OR p:Community) AND p.id IN $places
    MATCH (p)<-[:AVAILABLE_IN]-(r:Resource)<-[:OFFERS]-(u:Unit)
    WITH DISTINCT r, u WHERE coalesce(r.status, $available) = $available
                         AND coalesce(r.allocated, 0) = 0
    OPTIONAL MATCH (r)<-[use:USES]-(:Project)
    WITH r, u, count(use) AS uses WHERE uses = 0
    RETURN r.id AS id, r.name AS name, r.category AS category, r.capacity AS capacity,
           u.id AS unitId, u.name AS unitName
    """,
)

#: liaison units of communities and the projects they lead or join there
LIAISON_PROJECTS = statement(
    "matching.liaison_projects",
    """
    MATCH (c:Community)<-[l:LIAISES_WITH]-(u:Unit) WHERE c.id IN $communities
    OPTIONAL MATCH (u)<-[:LED_BY|JOINED_BY]-(p:Project)-[:IN]->(c)
    WITH c, l, u, p
    RETURN c.id AS community, u.id AS unit, u.name AS unitName,
           coalesce(l.lead, false) AS lead,
           collect(DISTINCT CASE WHEN p IS NULL THEN null
                   ELSE [p.id, p.status, p.startDate, p.createdAt] END)
             AS projects
    """,
)

#: held roles of the "4+N" structure at each community, its street and its compounds
STRUCTURE_ROLES = statement(
    "matching.structure_roles",
    """
    MATCH (c:Community)<-[:AT]-(r:Role)<-[:HOLDS]-(:Person)
    WHERE c.id IN $communities AND r.kind IN $kinds
    RETURN c.id AS community, r.kind AS kind, r.until AS until, c.id AS place
    UNION ALL
    MATCH (c:Community)-[:PART_OF]->(s:Street)<-[:AT]-(r:Role)<-[:HOLDS]-(:Person)
    WHERE c.id IN $communities AND r.kind IN $kinds
    RETURN c.id AS community, r.kind AS kind, r.until AS until, s.id AS place
    UNION ALL
    MATCH (c:Community)<-[:PART_OF]-(m:Compound)<-[:AT]-(r:Role)<-[:HOLDS]-(:Person)
    WHERE c.id IN $communities AND r.kind IN $kinds
    RETURN c.id AS community, r.kind AS kind, r.until AS until, m.id AS place
    """,
)

#: compounds and liaison units of each community
STRUCTURE_COUNTS = statement(
    "matching.structure_counts",
    """
    MATCH (c:Community) WHERE c.id IN $communities
    OPTIONAL MATCH (c)<-[:PART_OF]-(m:Compound)
    WITH c, count(DISTINCT m) AS compounds
    OPTIONAL MATCH (c)<-[l:LIAISES_WITH]-(u:Unit)
    RETURN c.id AS community, c.name AS name, compounds, count(DISTINCT u) AS liaisons,
           count(DISTINCT CASE WHEN coalesce(l.lead, false) THEN u.id END) AS leads
    """,
)
