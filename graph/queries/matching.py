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

COMMUNITIES = statement(
    "matching.communities",
    f"""
    MATCH (c:Community) WHERE c.id IN $ids
    OPTIONAL MATCH (c)-[:PART_OF]->(s:Street)
    OPTIONAL MATCH (s)-[:PART_OF]->(k:County)
    RETURN {_PLACE_COLUMNS}
    """,
)

# -- candidates (packed rows) ----------------------------------------------------------


def _resources_at(label: str, param: str) -> str:
    return f"""
    MATCH (p:{label}) WHERE p.id IN ${param}
    MATCH (p)<-[:AVAILABLE_IN]-(r:Resource)
    MATCH (r)<-[:OFFERS]-(u:Unit)
    RETURN r.id + $sep + toString(r.updatedAt) + $sep + toString(coalesce(r.allocated, 0))
           + $sep + coalesce(r.status, $available) + $sep + u.id + $sep + p.id AS row
    """


#: resources available in any of the places: ``id␟updatedAt␟allocated␟status␟unit␟place``
RESOURCES_AVAILABLE = statement(
    "matching.resources_available",
    " UNION ALL ".join(
        _resources_at(label, param)
        for label, param in (("Community", "communities"), ("Street", "streets"), ("County", "counties"))
    ),
)

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
