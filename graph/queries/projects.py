"""Projects (项目清单): formation with capacity taken atomically, the workflow."""

from __future__ import annotations

from graph.cypher import statement
from graph.queries.scope import personal_text
from graph.queries.where import any_of, list_of, pages_of

SORT_KEYS = ("name", "createdAt", "updatedAt", "startDate", "status", "projectClass")

_NODE = """pr {.*, communityId: c.id, leadUnitId: [(pr)-[:LED_BY]->(u:Unit) | u.id][0],
              partnerUnitIds: [(pr)-[:JOINED_BY]->(pu:Unit) | pu.id]}"""


#: a project is read in its community's scope, or by the operators of its lead and
#: partner units
#: (FalkorDB: a list predicate sees no variable a WITH projected, so the scope tests on
#: ``c.code`` are computed in the WITH itself)
def _filter(parent: str = "", carry: str = "") -> str:
    """The filter of a project list; ``parent`` extends the MATCH (``WHERE c.id IN $ids``)
    and ``carry`` (``, u``) keeps its variable through the WITH."""
    return f"""
MATCH (pr:Project)-[:IN]->(c:Community){parent}
WITH pr, c{carry}, [(pr)-[:LED_BY|JOINED_BY]->(x:Unit) | x.id] AS unitIds,
     any(root IN coalesce($roots, ['']) WHERE c.code STARTS WITH root) AS inRoots,
     any(mine IN $personalRoots WHERE c.code STARTS WITH mine) AS personal
WHERE c.code STARTS WITH $scope
  AND ($roots IS NULL OR inRoots OR any(x IN unitIds WHERE x IN $units))
  AND ($statuses IS NULL OR pr.status IN $statuses)
  AND ($classes IS NULL OR pr.projectClass IN $classes)
  AND {personal_text("personal", "pr.name")}
  AND ($dateFrom IS NULL OR pr.startDate >= $dateFrom)
  AND ($dateTo IS NULL OR pr.startDate <= $dateTo)
  AND {any_of("pr", "personal")}
"""


_FILTER = _filter()

LIST, COUNT = list_of("projects", _FILTER, "pr, c", "pr", f"{_NODE} AS node")

GET = statement(
    "projects.get",
    f"MATCH (pr:Project)-[:IN]->(c:Community) WHERE pr.id IN $ids RETURN pr.id AS key, {_NODE} AS node",
)
OF_DEMAND = statement(
    "projects.of_demand",
    f"""
    MATCH (pr:Project)-[:MEETS]->(d:Demand), (pr)-[:IN]->(c:Community) WHERE d.id IN $ids
    RETURN d.id AS key, {_NODE} AS node ORDER BY pr.name, pr.id
    """,
)
OF_RESOURCE = statement(
    "projects.of_resource",
    f"""
    MATCH (pr:Project)-[:USES]->(r:Resource), (pr)-[:IN]->(c:Community) WHERE r.id IN $ids
    RETURN r.id AS key, {_NODE} AS node ORDER BY pr.name, pr.id
    """,
)

#: a page of each community's projects, filtered as a list is
COMMUNITY_PAGES = pages_of(
    "projects.community_pages", _filter(" WHERE c.id IN $ids"), "pr, c", "pr", "c.id", _NODE
)
#: a page of the projects each unit leads
LED_PAGES = pages_of(
    "projects.led_pages",
    _filter(", (pr)-[:LED_BY]->(lu:Unit) WHERE lu.id IN $ids", ", lu"),
    "pr, c, lu",
    "pr",
    "lu.id",
    _NODE,
)

#: What a formation needs to know first: which demands and resources exist, and where.
CHECK = statement(
    "projects.check",
    """
    OPTIONAL MATCH (c:Community {id: $communityId})
    OPTIONAL MATCH (lead:Unit {id: $leadUnitId})
    WITH c, lead
    OPTIONAL MATCH (d:Demand)-[:FOR]->(c) WHERE d.id IN $demandIds
    WITH c, lead, collect(d.id) AS found
    OPTIONAL MATCH (r:Resource) WHERE r.id IN $resourceIds
    RETURN c IS NOT NULL AS community, lead IS NOT NULL AS lead,
           [id IN $demandIds WHERE NOT id IN found] AS missingDemands,
           collect(CASE WHEN r IS NULL THEN null ELSE
             {id: r.id, left: r.capacity - coalesce(r.allocated, 0), status: r.status} END)
             AS resources
    """,
)

#: Check every resource's capacity and write, in one statement: all or nothing.
FORM = statement(
    "projects.form",
    """
    UNWIND $uses AS use
    MATCH (r:Resource {id: use.resourceId})
    WITH collect({r: r, q: use.quantity}) AS rows
    WHERE size(rows) = size($uses)
      AND all(x IN rows WHERE x.r.status = 'AVAILABLE'
                          AND coalesce(x.r.allocated, 0) + x.q <= x.r.capacity)
    MATCH (c:Community {id: $communityId})
    CREATE (pr:Project {id: $id})
    SET pr += $props, pr.createdAt = $now, pr.updatedAt = $now
    CREATE (pr)-[:IN]->(c)
    WITH pr, rows
    UNWIND rows AS x
    WITH pr, x.r AS r, x.q AS q
    SET r.allocated = coalesce(r.allocated, 0) + q, r.updatedAt = $now
    CREATE (pr)-[:USES {quantity: q}]->(r)
    RETURN pr.id AS id, collect({id: r.id, allocated: r.allocated}) AS resources
    """,
    write=True,
    idempotent=False,
)
LINK_FORMED = statement(
    "projects.link_formed",
    """
    MATCH (pr:Project {id: $id})
    OPTIONAL MATCH (lead:Unit {id: $leadUnitId})
    FOREACH (u IN CASE WHEN lead IS NULL THEN [] ELSE [lead] END | MERGE (pr)-[:LED_BY]->(u))
    WITH pr
    UNWIND $demandIds AS demandId
    MATCH (d:Demand {id: demandId})
    MERGE (pr)-[:MEETS]->(d)
    SET d.status = CASE WHEN d.status = 'OPEN' THEN 'MATCHED' ELSE d.status END, d.updatedAt = $now
    RETURN count(d) AS linked
    """,
    write=True,
)

#: Move along the workflow only from the status the caller saw (no lost update).
MOVE = statement(
    "projects.move",
    """
    MATCH (pr:Project {id: $id})
    WHERE pr.status = $fromStatus
    SET pr.status = $to, pr.updatedAt = $now,
        pr.endDate = CASE WHEN $to = 'DONE' THEN $today ELSE pr.endDate END
    RETURN pr.id AS id
    """,
    write=True,
)
#: Cancel from the status the caller saw, and give the capacity back, in one statement.
CANCEL = statement(
    "projects.cancel",
    """
    MATCH (pr:Project {id: $id})
    WHERE pr.status = $fromStatus AND $to = 'CANCELLED' AND $today IS NOT NULL
    SET pr.status = $to, pr.updatedAt = $now
    WITH pr
    OPTIONAL MATCH (pr)-[use:USES]->(r:Resource)
    FOREACH (x IN CASE WHEN r IS NULL THEN [] ELSE [r] END |
      SET x.allocated = CASE WHEN coalesce(x.allocated, 0) >= use.quantity
                             THEN x.allocated - use.quantity ELSE 0 END,
          x.updatedAt = $now)
    WITH pr, count(r) AS released
    RETURN pr.id AS id, released
    """,
    write=True,
)

#: the units offering some resources, and their counties (the edge, else the property)
RESOURCE_OWNERS = statement(
    "projects.resource_owners",
    """
    MATCH (u:Unit)-[:OFFERS]->(r:Resource) WHERE r.id IN $ids
    OPTIONAL MATCH (u)-[:IN_COUNTY]->(k:County)
    RETURN DISTINCT r.id AS resourceId, u.id AS unitId, coalesce(k.code, u.countyId) AS county
    """,
)
