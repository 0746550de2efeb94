"""Units (联系单位): reads by relation."""

from __future__ import annotations

from graph.cypher import statement
from graph.queries.where import any_of, list_of

#: a unit as every statement returns it (``u`` bound to the unit)
UNIT_NODE = "u {.*, countyId: [(u)-[:IN_COUNTY]->(k:County) | k.id][0]}"
_NODE = UNIT_NODE

SORT_KEYS = ("name", "kind", "createdAt", "updatedAt")
#: a unit is read in its county's scope, or by its own operator
_FILTER = f"""
MATCH (u:Unit)
WITH u, [(u)-[:IN_COUNTY]->(k:County) | k.code] AS county,
     [(u)-[:LIAISES_WITH]->(c:Community) | c.code] AS liaised
WITH u, county, county + liaised AS codes
WHERE ($scope = '' OR any(code IN codes WHERE code STARTS WITH $scope))
  AND ($roots IS NULL OR u.id IN $units
       OR any(uc IN county WHERE any(root IN $roots WHERE uc STARTS WITH root)))
  AND ($kinds IS NULL OR u.kind IN $kinds)
  AND ($text IS NULL OR u.name CONTAINS $text)
  AND {any_of("u")}
"""
LIST, COUNT = list_of("units", _FILTER, "u", "u", f"{_NODE} AS node")

GET = statement(
    "units.get", f"MATCH (u:Unit) WHERE u.id IN $ids RETURN u.id AS key, {_NODE} AS node"
)
OF_RESOURCE = statement(
    "units.of_resource",
    f"MATCH (u:Unit)-[:OFFERS]->(r:Resource) WHERE r.id IN $ids RETURN r.id AS key, {_NODE} AS node",
)
LEAD_OF_PROJECT = statement(
    "units.lead_of_project",
    f"MATCH (pr:Project)-[:LED_BY]->(u:Unit) WHERE pr.id IN $ids RETURN pr.id AS key, {_NODE} AS node",
)
JOINED_PROJECT = statement(
    "units.joined_project",
    f"""
    MATCH (pr:Project)-[:JOINED_BY]->(u:Unit) WHERE pr.id IN $ids
    RETURN pr.id AS key, {_NODE} AS node ORDER BY u.name, u.id
    """,
)
