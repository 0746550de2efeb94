"""Counts for a scope: ``$scope`` is the prefix of a county, street or community code
('' for everything, see ``graph.queries.scope``).

Each concept counts what its list counts for the same scope (``demands(filter:
{scope})`` and ``statistics(scope).demands`` agree); breakdowns come back grouped
and are summed in Python.
"""

from __future__ import annotations

from graph.cypher import Statement, statement
from graph.queries.loop import OVERDUE as _OVERDUE
from graph.queries.scope import prefix_of

_IN_SCOPE = "c.code STARTS WITH $scope"

COMMUNITIES = statement(
    "stats.communities",
    f"MATCH (c:Community) WHERE {_IN_SCOPE} RETURN count(c) AS count",
)
DEMANDS = statement(
    "stats.demands",
    f"""
    MATCH (d:Demand)-[:FOR]->(c:Community) WHERE {_IN_SCOPE}
    RETURN d.status AS status, d.matterClass AS matterClass, d.category AS category,
           count(d) AS count
    """,
)
PROJECTS = statement(
    "stats.projects",
    f"""
    MATCH (pr:Project)-[:IN]->(c:Community) WHERE {_IN_SCOPE}
    RETURN pr.status AS status, pr.projectClass AS projectClass, count(pr) AS count
    """,
)

#: a resource counts where it is available: in a place under the scope, or in a place
#: the scope lies in (a county-wide offer counts for each of the county's communities)
_RESOURCES = f"""
MATCH (r:Resource)
WITH r, [(r)-[:AVAILABLE_IN]->(p) | p.code] AS codes
WHERE $scope = '' OR any(code IN codes
                         WHERE code STARTS WITH $scope OR $scope STARTS WITH ({prefix_of("code")}))
"""
RESOURCES = statement(
    "stats.resources",
    f"{_RESOURCES} RETURN r.category AS category, count(r) AS count",
)

#: a unit counts in its county, and in the places of the communities it liaises with
_UNITS = """
MATCH (u:Unit)
WITH u, [(u)-[:IN_COUNTY]->(k:County) | k.code] + [(u)-[:LIAISES_WITH]->(lc:Community) | lc.code]
     AS codes
WHERE $scope = '' OR any(code IN codes WHERE code STARTS WITH $scope)
"""
UNITS = statement("stats.units", f"{_UNITS} RETURN count(u) AS count")

AGREEMENTS = statement(
    "stats.agreements",
    f"MATCH (a:Agreement)-[:WITH]->(c:Community) WHERE {_IN_SCOPE} RETURN count(a) AS count",
)
MEETINGS = statement(
    "stats.meetings",
    "MATCH (m:Meeting)-[:IN]->(p) WHERE p.code STARTS WITH $scope RETURN count(m) AS count",
)

#: a role's places: its place and those above it, or its party organization's county
_ROLES = """
MATCH (p:Person)-[:HOLDS]->(r:Role)-[:AT]->(pl)
OPTIONAL MATCH (pl)-[:PART_OF*0..2]->(a) WHERE a:County OR a:Street OR a:Community
OPTIONAL MATCH (pl)-[:BELONGS_TO]->(:Unit)-[:IN_COUNTY]->(k:County)
WITH p, r, collect(a.code) + collect(k.code) AS codes
WHERE any(code IN codes WHERE code STARTS WITH $scope)
"""

#: the closed loop's and 双报到's nodes carry the place codes they count under
#: (docs/closed-loop.md): each counts at its most specific place
PLACED_LABELS = (
    "Assignment", "DemandEvent", "Chase", "Whistle", "Callback", "Member", "Wish", "ServiceLog",
)  # fmt: skip
_PLACED = "".join(
    f"""
    UNION ALL
    MATCH (x:{label}) WHERE coalesce(x.community, x.street, x.county) STARTS WITH $scope
    RETURN '{label}' AS part, count(x) AS count"""
    for label in PLACED_LABELS
)

#: Every node of a scope, one disjoint part per label (their sum is the total): its
#: places; the demands, projects and agreements of its communities; the meetings held
#: in it; the resources and units counted as above, the units' party organizations and
#: the evaluations of those projects and units; the roles held in it and their holders.
NODES = statement(
    "stats.nodes",
    f"""
    MATCH (p) WHERE (p:County OR p:Street OR p:Community) AND p.code STARTS WITH $scope
    RETURN 'divisions' AS part, count(p) AS count
    UNION ALL
    MATCH (cp:Compound)-[:PART_OF]->(c:Community) WHERE {_IN_SCOPE}
    RETURN 'compounds' AS part, count(cp) AS count
    UNION ALL
    MATCH (b:Building)-[:PART_OF]->(:Compound)-[:PART_OF]->(c:Community) WHERE {_IN_SCOPE}
    RETURN 'buildings' AS part, count(b) AS count
    UNION ALL
    MATCH (g:Grid)-[:PART_OF]->(c:Community) WHERE {_IN_SCOPE}
    RETURN 'grids' AS part, count(g) AS count
    UNION ALL
    MATCH (d:Demand)-[:FOR]->(c:Community) WHERE {_IN_SCOPE}
    RETURN 'demands' AS part, count(d) AS count
    UNION ALL
    MATCH (pr:Project)-[:IN]->(c:Community) WHERE {_IN_SCOPE}
    OPTIONAL MATCH (pe:Evaluation)-[:EVALUATES]->(pr)
    RETURN 'projects' AS part, count(DISTINCT pr) + count(DISTINCT pe) AS count
    UNION ALL
    MATCH (a:Agreement)-[:WITH]->(c:Community) WHERE {_IN_SCOPE}
    RETURN 'agreements' AS part, count(a) AS count
    UNION ALL
    MATCH (m:Meeting)-[:IN]->(p) WHERE p.code STARTS WITH $scope
    RETURN 'meetings' AS part, count(m) AS count
    UNION ALL
    {_RESOURCES}
    RETURN 'resources' AS part, count(r) AS count
    UNION ALL
    {_UNITS}
    OPTIONAL MATCH (o:PartyOrganization)-[:BELONGS_TO]->(u)
    OPTIONAL MATCH (ue:Evaluation)-[:EVALUATES]->(u)
    RETURN 'units' AS part, count(DISTINCT u) + count(DISTINCT o) + count(DISTINCT ue) AS count
    UNION ALL
    {_ROLES}
    RETURN 'roles' AS part, count(DISTINCT r) + count(DISTINCT p) AS count
    {_PLACED}
    """,
)

#: the day (since 1970-01-01) of a node's ``createdAt`` (epoch milliseconds)
_DAY = "toInteger(floor(toFloat({0}.createdAt) / 86400000.0))"


def _by_month(name: str, match: str, node: str, date: str) -> Statement:
    """Nodes per month and status: the month of ``date`` ('YYYY-MM...'), or for a node
    without one, the day it was recorded (grouped here, its month taken in Python)."""
    return statement(
        name,
        f"""
        {match} WHERE {_IN_SCOPE}
        WITH {node}.status AS status,
             CASE WHEN {node}.{date} IS NULL THEN null ELSE substring({node}.{date}, 0, 7) END AS month,
             CASE WHEN {node}.{date} IS NULL THEN {_DAY.format(node)} ELSE null END AS day
        RETURN month, day, status, count(*) AS count
        """,
    )


#: Demands per month (of 收集日期) and status
DEMANDS_BY_MONTH = _by_month(
    "stats.demands_by_month", "MATCH (d:Demand)-[:FOR]->(c:Community)", "d", "collectedOn"
)
#: Projects per month (of the start date) and status
PROJECTS_BY_MONTH = _by_month(
    "stats.projects_by_month", "MATCH (pr:Project)-[:IN]->(c:Community)", "pr", "startDate"
)

#: Demands per community and category: the cells of a heat map (only those with some).
DEMANDS_BY_COMMUNITY_AND_CATEGORY = statement(
    "stats.demands_by_community_and_category",
    f"""
    MATCH (d:Demand)-[:FOR]->(c:Community) WHERE {_IN_SCOPE}
    RETURN c.id AS communityId, c.code AS communityCode, c.name AS communityName,
           d.category AS category, count(d) AS count
    ORDER BY communityCode, category
    """,
)

#: 逾期: the demands of the scope overdue at ``$now`` (their open assignment is past a
#: limit, docs/closed-loop.md), inside the caller's read scope (``$roots`` code prefixes,
#: None for everything; ``$units``: the units it reads as); by the limit missed (ACCEPT:
#: not accepted in time, FINISH: not done in time), with the demand ids behind each
OVERDUE = statement(
    "stats.overdue",
    f"""
    MATCH (a:Assignment)
    WHERE coalesce(a.community, a.street, a.county) STARTS WITH $scope AND {_OVERDUE}
      AND ($roots IS NULL OR any(root IN $roots WHERE a.community STARTS WITH root)
           OR any(own IN $units WHERE own = a.unitId))
    WITH a, CASE WHEN a.acceptedAt IS NULL AND $now > a.acceptDue
                      AND (a.acceptDue < a.finishDue OR $now <= a.finishDue)
                 THEN 'ACCEPT' ELSE 'FINISH' END AS missed
    RETURN missed, collect(DISTINCT a.demandId) AS demandIds
    """,
)
