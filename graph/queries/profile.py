"""A community's "4+N" structure and its buildings' 两长两员, one statement each,
batched over every community a request asks about.

Roles come back as small summaries (id, kind, since, until); which kinds count and
which roles are active is decided in Python (``resolvers.profile``).
"""

from __future__ import annotations

from graph.cypher import statement

_ROLE = "{id: r.id, kind: r.kind, since: r.since, until: r.until}"

#: the roles at the community, at its street and at its compounds, and its liaison links
PROFILE = statement(
    "profile.four_plus_n",
    f"""
    MATCH (c:Community) WHERE c.id IN $ids
    OPTIONAL MATCH (c)-[:PART_OF]->(s:Street)
    OPTIONAL MATCH (sr:Role)-[:AT]->(s)
    WITH c, collect(CASE WHEN sr IS NULL THEN null
                    ELSE {{id: sr.id, kind: sr.kind, since: sr.since, until: sr.until}} END)
         AS streetRoles
    OPTIONAL MATCH (cp:Compound)-[:PART_OF]->(c)
    WITH c, streetRoles,
         collect(CASE WHEN cp IS NULL THEN null
                 ELSE {{id: cp.id, name: cp.name, roles: [(r:Role)-[:AT]->(cp) | {_ROLE}]}} END)
         AS compounds
    RETURN c.id AS key, streetRoles, compounds,
           [(r:Role)-[:AT]->(c) | {_ROLE}] AS communityRoles,
           [(u:Unit)-[l:LIAISES_WITH]->(c) |
            {{unitId: u.id, unitName: u.name, lead: coalesce(l.lead, false)}}]
           AS links
    """,
)

#: every building of the community's compounds, with the roles held at it
COVERAGE = statement(
    "profile.building_coverage",
    f"""
    MATCH (c:Community) WHERE c.id IN $ids
    OPTIONAL MATCH (b:Building)-[:PART_OF]->(cp:Compound)-[:PART_OF]->(c)
    WITH c, collect(CASE WHEN b IS NULL THEN null
                    ELSE {{building: b {{.*}}, compound: cp.name,
                          roles: [(r:Role)-[:AT]->(b) | {_ROLE}]}} END) AS buildings
    RETURN c.id AS key, buildings
    """,
)
