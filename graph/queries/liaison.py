"""Liaison links (联系单位, 牵头单位): ``(Unit)-[:LIAISES_WITH {lead}]->(Community)``.

A community has at most one lead unit: making a unit lead clears the flag of the
previous lead in the same statement.
"""

from __future__ import annotations

from graph.cypher import statement
from graph.queries.units import UNIT_NODE

_LINK = "{unitId: u.id, communityId: c.id, lead: coalesce(l.lead, false)}"

#: each link carries its unit (as ``units.GET`` returns it), so LiaisonLink.unit costs no trip
OF_COMMUNITY = statement(
    "liaison.of_community",
    f"""
    MATCH (u:Unit)-[l:LIAISES_WITH]->(c:Community) WHERE c.id IN $ids
    RETURN c.id AS key, {_LINK} AS node, {UNIT_NODE} AS unit
    ORDER BY coalesce(l.lead, false) DESC, u.name, u.id
    """,
)
OF_UNIT = statement(
    "liaison.of_unit",
    f"""
    MATCH (u:Unit)-[l:LIAISES_WITH]->(c:Community) WHERE u.id IN $ids
    RETURN u.id AS key, {_LINK} AS node ORDER BY coalesce(l.lead, false) DESC, c.code
    """,
)

#: whether the unit and the community exist, and the link between them if any
STATE = statement(
    "liaison.state",
    """
    OPTIONAL MATCH (u:Unit {id: $unitId})
    OPTIONAL MATCH (c:Community {id: $communityId})
    OPTIONAL MATCH (lu:Unit {id: $unitId})-[l:LIAISES_WITH]->(lc:Community {id: $communityId})
    RETURN u IS NOT NULL AS unit, c IS NOT NULL AS community, l IS NOT NULL AS linked,
           coalesce(l.lead, false) AS lead
    """,
)

#: ``$lead`` null keeps the flag (false for a new link); true takes it from the previous lead
LINK = statement(
    "liaison.link",
    """
    MATCH (u:Unit {id: $unitId})
    MATCH (c:Community {id: $communityId})
    MERGE (u)-[l:LIAISES_WITH]->(c)
    SET l.lead = coalesce($lead, l.lead, false)
    WITH u, c, l
    OPTIONAL MATCH (other:Unit)-[was:LIAISES_WITH]->(c)
    WHERE l.lead = true AND other.id <> u.id AND was.lead = true
    WITH u, c, l, collect(was) AS demote, collect(other.id) AS demoted
    FOREACH (x IN demote | SET x.lead = false)
    RETURN u.id AS unitId, c.id AS communityId, l.lead AS lead, demoted
    """,
    write=True,
)

UNLINK = statement(
    "liaison.unlink",
    """
    MATCH (u:Unit {id: $unitId})-[l:LIAISES_WITH]->(c:Community {id: $communityId})
    WITH l, coalesce(l.lead, false) AS lead
    DELETE l
    RETURN lead
    """,
    write=True,
)

#: the codes of the communities a unit liaises with: a unit operator's read scope
COMMUNITY_CODES_OF_UNIT = statement(
    "liaison.community_codes_of_unit",
    "MATCH (:Unit {id: $id})-[:LIAISES_WITH]->(c:Community) RETURN DISTINCT c.code AS code",
)
