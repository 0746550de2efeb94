"""Resources (资源清单): lists, reads by relation, writes."""

from __future__ import annotations

from graph.cypher import statement
from graph.queries.scope import personal_text, prefix_of
from graph.queries.where import any_of, list_of, pages_of

SORT_KEYS = ("name", "createdAt", "updatedAt", "capacity", "category", "status")

_NODE = """r {.*, unitId: u.id, unitCountyId: [(u)-[:IN_COUNTY]->(k:County) | k.id][0],
             scopeIds: [(r)-[:AVAILABLE_IN]->(p) | p.id]}"""
#: an atom's key in a composed filter: the unit and the capacity left are computed
_VALUE = "CASE a.key WHEN 'unitId' THEN u.id WHEN 'left' THEN r.capacity - coalesce(r.allocated, 0) ELSE r[a.key] END"


#: a resource is read in its unit's county's scope, or by its unit's operator
def _filter(parent: str = "") -> str:
    """The filter of a resource list; ``parent`` extends the MATCH (``WHERE u.id IN $ids``)."""
    return f"""
MATCH (u:Unit)-[:OFFERS]->(r:Resource){parent}
WITH u, r, [(r)-[:AVAILABLE_IN]->(p) | p.code] AS codes,
     [(u)-[:IN_COUNTY]->(k:County) | k.code] AS county
WITH u, r, codes, county, u.id IN $personalUnits
     OR any(kc IN county WHERE any(mine IN $personalRoots WHERE kc STARTS WITH mine))
     AS personal
WHERE ($scope = '' OR any(code IN codes
                          WHERE code STARTS WITH $scope OR $scope STARTS WITH ({prefix_of("code")})))
  AND ($roots IS NULL OR u.id IN $units
       OR any(uc IN county WHERE any(root IN $roots WHERE uc STARTS WITH root)))
  AND ($statuses IS NULL OR r.status IN $statuses)
  AND ($categories IS NULL OR r.category IN $categories)
  AND ($unitId IS NULL OR u.id = $unitId)
  AND {personal_text("personal", "r.name", "r.description")}
  AND ($minLeft IS NULL OR r.capacity - coalesce(r.allocated, 0) >= $minLeft)
  AND {any_of("r", "personal", _VALUE)}
"""


_FILTER = _filter()

LIST, COUNT = list_of("resources", _FILTER, "u, r", "r", f"{_NODE} AS node")

GET = statement(
    "resources.get",
    f"MATCH (u:Unit)-[:OFFERS]->(r:Resource) WHERE r.id IN $ids RETURN r.id AS key, {_NODE} AS node",
)
#: a page of each unit's resources, filtered as a list is
UNIT_PAGES = pages_of(
    "resources.unit_pages", _filter(" WHERE u.id IN $ids"), "u, r", "r", "u.id", _NODE
)
OF_PROJECT = statement(
    "resources.of_project",
    f"""
    MATCH (pr:Project)-[use:USES]->(r:Resource)<-[:OFFERS]-(u:Unit) WHERE pr.id IN $ids
    RETURN pr.id AS key, {_NODE} AS node, use.quantity AS quantity ORDER BY r.name, r.id
    """,
)

CREATE = statement(
    "resources.create",
    """
    MATCH (u:Unit {id: $unitId})
    CREATE (r:Resource {id: $id})
    SET r += $props, r.allocated = 0, r.createdAt = $now, r.updatedAt = $now
    CREATE (u)-[:OFFERS]->(r)
    WITH r
    UNWIND $scopeIds AS placeId
    MATCH (p {code: placeId}) WHERE p:County OR p:Street OR p:Community
    CREATE (r)-[:AVAILABLE_IN]->(p)
    RETURN count(p) AS scopes
    """,
    write=True,
    idempotent=False,
)

UPDATE = statement(
    "resources.update",
    """
    MATCH (r:Resource {id: $id})
    WHERE $capacity IS NULL OR coalesce(r.allocated, 0) <= $capacity
    SET r += $props, r.updatedAt = $now
    RETURN r.id AS id
    """,
    write=True,
)
