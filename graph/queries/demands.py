"""Demands (需求清单): lists with filters, reads by relation, writes."""

from __future__ import annotations

from graph.cypher import statement
from graph.queries.loop import DEMAND_OVERDUE, UNITS
from graph.queries.scope import in_roots, personal_text
from graph.queries.where import any_of, list_of, pages_of

#: properties a demand list may be sorted by (enter the query as a $parameter key)
SORT_KEYS = ("collectedOn", "createdAt", "updatedAt", "title", "urgency", "matterClass", "status")

_PLACE = "communityId: c.id, placeId: coalesce([(d)-[:AT]->(p) | p.id][0], c.id)"
_NODE = f"d {{.*, {_PLACE}, unitIds: {UNITS}}}"
#: a demand as a caller without units reads it: its units (two pattern comprehensions,
#: most of the statement's time in FalkorDB) decide nothing for it (``resolvers.reader``)
_LEAN_NODE = f"d {{.*, {_PLACE}, unitIds: []}}"


#: (FalkorDB: a list predicate nested in the text test's AND/OR was always false, so
#: ``personal``, ``readable`` (in the read scope, or dispatched to or summoning one of
#: the caller's units) and ``late`` are computed in WITHs of the matched variables.
#: The tests of the demand's and community's own properties come first, in the MATCH's
#: WHERE: FalkorDB computes a WITH's pattern comprehensions (``units``, ``late``) for
#: every row that reaches it, so a street's open demands must not cost every demand's)
def _filter(parent: str = "", carry: str = "", where: str = "", *, lean: bool = False) -> str:
    """The filter of a demand list; ``parent`` extends the MATCH (a parent's pattern),
    ``where`` tests its variables (``s.id IN $ids``) and ``carry`` (``, s``) keeps its
    variable through the WITHs. ``lean``: for a caller without units (``$units`` empty)
    and no ``$overdue`` test, the same filter without computing ``units`` and ``late``."""
    own = f"{where} AND " if where else ""
    units = "[]" if lean else f"CASE WHEN size($units) = 0 THEN [] ELSE {UNITS} END"
    late = "NULL" if lean else f"CASE WHEN $overdue IS NULL THEN NULL ELSE {DEMAND_OVERDUE} END"
    return f"""
MATCH (d:Demand)-[:FOR]->(c:Community){parent}
WHERE {own}c.code STARTS WITH $scope
  AND ($stages IS NULL OR coalesce(d.stage, 'REPORTED') IN $stages)
  AND ($statuses IS NULL OR d.status IN $statuses)
  AND ($categories IS NULL OR d.category IN $categories)
  AND ($inferred IS NULL OR coalesce(d.categoryInferred, false) = $inferred)
  AND ($classes IS NULL OR d.matterClass IN $classes)
  AND ($urgencies IS NULL OR d.urgency IN $urgencies)
  AND ($dateFrom IS NULL OR d.collectedOn >= $dateFrom)
  AND ($dateTo IS NULL OR d.collectedOn <= $dateTo)
WITH d, c{carry}, any(mine IN $personalRoots WHERE c.code STARTS WITH mine) AS personal,
  {units} AS units
WITH d, c{carry}, personal, {in_roots("c.code")} OR any(x IN units WHERE x IN $units) AS readable,
  {late} AS late
WHERE readable
  AND ($overdue IS NULL OR late = $overdue)
  AND {personal_text("personal", "d.title", "d.description")}
  AND {any_of("d", "personal")}
"""


_FILTER = _filter()

_RETURNED = f"{_NODE} AS node, c {{.*}} AS community"
LIST, COUNT = list_of("demands", _FILTER, "d, c", "d", _RETURNED)
#: the same for a caller without units (read or personal) and no overdue test
#: (``resolvers.paging.fetch_page``)
LEAN_LIST, LEAN_COUNT = list_of(
    "demands.lean", _filter(lean=True), "d, c", "d", f"{_LEAN_NODE} AS node, c {{.*}} AS community"
)

GET = statement(
    "demands.get",
    f"MATCH (d:Demand)-[:FOR]->(c:Community) WHERE d.id IN $ids RETURN d.id AS key, {_NODE} AS node",
)
#: a page of each parent's demands, filtered as a list is (``where.pages_of``)
COMMUNITY_PAGES = pages_of(
    "demands.community_pages", _filter(where="c.id IN $ids"), "d, c", "d", "c.id", _NODE
)
STREET_PAGES = pages_of(
    "demands.street_pages",
    _filter("-[:PART_OF]->(s:Street)", ", s", "s.id IN $ids"),
    "d, c, s",
    "d",
    "s.id",
    _NODE,
)
#: a page of the demands each project answers
PROJECT_PAGES = pages_of(
    "demands.project_pages",
    _filter(", (pr:Project)-[:MEETS]->(d)", ", pr", "pr.id IN $ids"),
    "d, c, pr",
    "d",
    "pr.id",
    _NODE,
)
OF_PROJECT = statement(
    "demands.of_project",
    f"""
    MATCH (pr:Project)-[:MEETS]->(d:Demand)-[:FOR]->(c:Community)
    WHERE pr.id IN $ids
    RETURN pr.id AS key, {_NODE} AS node ORDER BY d.id
    """,
)

CREATE = statement(
    "demands.create",
    """
    MATCH (c:Community {id: $communityId})
    OPTIONAL MATCH (cp:Compound {id: $placeId})
    OPTIONAL MATCH (b:Building {id: $placeId})
    CREATE (d:Demand {id: $id})
    SET d += $props, d.createdAt = $now, d.updatedAt = $now
    CREATE (d)-[:FOR]->(c)
    FOREACH (p IN [x IN [cp, b] WHERE x IS NOT NULL] | CREATE (d)-[:AT]->(p))
    RETURN d.id AS id
    """,
    write=True,
    idempotent=False,
)

UPDATE = statement(
    "demands.update",
    """
    MATCH (d:Demand {id: $id})
    SET d += $props, d.updatedAt = $now
    RETURN d.id AS id
    """,
    write=True,
)
