"""People, the posts they hold (Role) and party organizations: reads by relation, role writes.

A role is ``(Person)-[:HOLDS]->(Role)-[:AT]->(place)``, optionally ``-[:FOR_UNIT]->(Unit)``.
A person's ``codes`` are the division codes of the places where they hold roles (with
their ancestors): where the person sits, for the access layer's personal-data decision.
"""

from __future__ import annotations

from graph.cypher import Statement, identifier, statement
from graph.queries.where import any_of, list_of

#: places a role can be assigned at through the API
ROLE_PLACES: tuple[str, ...] = ("Street", "Community", "Compound", "Building", "Grid")
#: places below a community: found by id, their community through PART_OF
SUB_PLACES: tuple[str, ...] = ("Compound", "Building", "Grid")
#: places people are listed at (``roles`` fields)
LISTED_AT: tuple[str, ...] = ("Street", "Community", "Compound", "Building", "Grid")

_CODES = "[(p)-[:HOLDS]->(:Role)-[:AT]->()-[:PART_OF*0..2]->(a) WHERE a.code IS NOT NULL | a.code]"
_UNIT_CODES = (
    "[(p)-[:HOLDS]->(:Role)-[:AT]->(:PartyOrganization)-[:BELONGS_TO]->(:Unit)"
    "-[:IN_COUNTY]->(k:County) | k.code]"
)
_PERSON = (
    f"p {{.*, codes: {_CODES} + {_UNIT_CODES}, workUnitId: [(p)-[:WORKS_AT]->(w:Unit) | w.id][0]}}"
)
_ROLE_MATCH = "MATCH (p:Person)-[:HOLDS]->(r:Role)-[:AT]->(pl)"
_ROLE = (
    "r {.*, personId: p.id, placeId: pl.id, unitId: [(r)-[:FOR_UNIT]->(u:Unit) | u.id][0], "
    "placeCodes: [(pl)-[:PART_OF*0..2]->(a) WHERE a.code IS NOT NULL | a.code]"
    " + [(pl)-[:BELONGS_TO]->(:Unit)-[:IN_COUNTY]->(k:County) | k.code]}"
)
_ORG = (
    "o {.*, unitId: [(o)-[:BELONGS_TO]->(u:Unit) | u.id][0], "
    "codes: [(o)-[:GOVERNS]->()-[:PART_OF*0..2]->(a) WHERE a.code IS NOT NULL | a.code]"
    " + [(o)-[:BELONGS_TO]->(:Unit)-[:IN_COUNTY]->(k:County) | k.code]}"
)

PERSON_GET = statement(
    "people.get", f"MATCH (p:Person) WHERE p.id IN $ids RETURN p.id AS key, {_PERSON} AS node"
)
MEMBERS_OF_UNIT = statement(
    "people.members_of_unit",
    f"""
    MATCH (p:Person)-[:WORKS_AT]->(u:Unit) WHERE u.id IN $ids
    RETURN u.id AS key, {_PERSON} AS node ORDER BY p.name, p.id
    """,
)

ROLE_GET = statement(
    "people.role_get", f"{_ROLE_MATCH} WHERE r.id IN $ids RETURN r.id AS key, {_ROLE} AS node"
)
ROLES_OF_PERSON = statement(
    "people.roles_of_person",
    f"{_ROLE_MATCH} WHERE p.id IN $ids RETURN p.id AS key, {_ROLE} AS node ORDER BY r.since, r.id",
)
ROLES_FOR_UNIT = statement(
    "people.roles_for_unit",
    f"""
    {_ROLE_MATCH} MATCH (r)-[:FOR_UNIT]->(fu:Unit) WHERE fu.id IN $ids
    RETURN fu.id AS key, {_ROLE} AS node ORDER BY r.kind, r.id
    """,
)


def _roles_at(label: str) -> Statement:
    label = identifier(label, (*LISTED_AT, "PartyOrganization"))
    return statement(
        f"people.roles_at.{label}",
        f"""
        MATCH (p:Person)-[:HOLDS]->(r:Role)-[:AT]->(pl:{label}) WHERE pl.id IN $ids
        RETURN pl.id AS key, {_ROLE} AS node ORDER BY r.kind, p.name, r.id
        """,
    )


ROLES_AT = {label: _roles_at(label) for label in (*LISTED_AT, "PartyOrganization")}

ORG_GET = statement(
    "people.org_get",
    f"MATCH (o:PartyOrganization) WHERE o.id IN $ids RETURN o.id AS key, {_ORG} AS node",
)
ORG_OF_UNIT = statement(
    "people.org_of_unit",
    f"""
    MATCH (o:PartyOrganization)-[:BELONGS_TO]->(u:Unit) WHERE u.id IN $ids
    RETURN u.id AS key, {_ORG} AS node
    """,
)

# -- the people list ---------------------------------------------------------------------

SORT_KEYS = ("name", "createdAt", "updatedAt")

#: a person matches when one of their roles matches: its kind (if asked, active roles
#: only) and its place (a role's places: its place and the places above it; a party
#: organization's: its unit's county)
#:
#: A person is read where one of their roles is (or by the operator of the unit they work
#: at); their name is personal: the text filter matches it only where the caller reads
#: the person personally (``personal``: a role in ``$personalRoots``), and sorting by name
#: elsewhere orders by the first character only, which the masked name shows anyway.
#: an atom's key in a composed filter: ``roleKind`` is the kind of an active role
_VALUE = (
    "CASE a.key WHEN 'roleKind' THEN CASE WHEN (r.until IS NULL OR r.until > $today)"
    " AND (r.since IS NULL OR r.since <= $today) THEN r.kind END ELSE p[a.key] END"
)
_FILTER = f"""
MATCH (p:Person)
OPTIONAL MATCH (p)-[:HOLDS]->(r:Role)-[:AT]->(pl)
OPTIONAL MATCH (pl)-[:PART_OF*0..2]->(a) WHERE a:County OR a:Street OR a:Community
OPTIONAL MATCH (pl)-[:BELONGS_TO]->(:Unit)-[:IN_COUNTY]->(k:County)
WITH p, r, collect(a.code) + collect(k.code) AS codes
WITH p, r, codes, [(p)-[:WORKS_AT]->(w:Unit) | w.id] AS works,
     any(pc IN codes WHERE any(mine IN $personalRoots WHERE pc STARTS WITH mine)) AS personal
WHERE ($scope = '' OR any(code IN codes WHERE code STARTS WITH $scope))
  AND ($roots IS NULL OR any(rc IN codes WHERE any(root IN $roots WHERE rc STARTS WITH root))
       OR any(w IN works WHERE w IN $units))
  AND ($kinds IS NULL OR (r.kind IN $kinds
                          AND (r.until IS NULL OR r.until > $today)
                          AND (r.since IS NULL OR r.since <= $today)))
  AND ($text IS NULL OR (personal AND p.name CONTAINS $text))
  AND {any_of("p", "personal", _VALUE)}
WITH p, collect(personal) AS flags
WITH p, any(f IN flags WHERE f) AS personal
"""


def _sort(key: str) -> str:
    return (
        f"CASE WHEN {key} = 'name' AND NOT personal THEN substring(p.name, 0, 1) ELSE p[{key}] END"
    )


LIST, COUNT = list_of("people", _FILTER, "p, personal", "p", f"{_PERSON} AS node", sort=_sort)

# -- assigning and ending roles ----------------------------------------------------------


def _area(label: str) -> Statement:
    label = identifier(label, SUB_PLACES)
    return statement(
        f"people.area.{label}",
        f"""
        MATCH (pl:{label} {{id: $id}})
        OPTIONAL MATCH (pl)-[:PART_OF*1..2]->(c:Community)
        RETURN pl {{.*}} AS node, c.code AS community
        LIMIT 1
        """,
    )


#: a compound, building or grid, and the code of the community it lies in
AREA = {label: _area(label) for label in SUB_PLACES}

#: where a role sits: the codes above its place, or its party organization's unit
ROLE_AREA = statement(
    "people.role_area",
    """
    MATCH (r:Role {id: $id})-[:AT]->(pl)
    OPTIONAL MATCH (pl)-[:PART_OF*0..2]->(a) WHERE a:County OR a:Street OR a:Community
    WITH r, pl, collect(a.code) AS codes
    OPTIONAL MATCH (pl)-[:BELONGS_TO]->(u:Unit)
    OPTIONAL MATCH (u)-[:IN_COUNTY]->(k:County)
    RETURN codes, u.id AS unitId, k.code AS unitCounty
    LIMIT 1
    """,
)

#: people of this name with a phone who hold a role in the area (a community or street)
NAMESAKES = statement(
    "people.namesakes",
    """
    MATCH (p:Person {name: $name})-[:HOLDS]->(:Role)-[:AT]->(pl)
    WHERE p.phone IS NOT NULL
    MATCH (pl)-[:PART_OF*0..2]->(a) WHERE a.code = $area
    RETURN DISTINCT p.id AS id
    """,
)


#: ``$props`` holds every property of the role (no nulls: FalkorDB mishandles a SET that
#: clears one property and sets others), so what the previous holder had is gone
def _assign(label: str) -> Statement:
    label = identifier(label, ROLE_PLACES)
    return statement(
        f"people.assign.{label}",
        f"""
        MATCH (pl:{label} {{id: $placeId}})
        MERGE (p:Person {{id: $personId}})
        ON CREATE SET p.name = $name, p.phone = $phone, p.createdAt = $now, p.updatedAt = $now
        MERGE (r:Role {{id: $roleId}})
        WITH pl, p, r, coalesce(r.createdAt, $now) AS created
        SET r = $props
        SET r.id = $roleId, r.createdAt = created, r.updatedAt = $now
        WITH pl, p, r
        OPTIONAL MATCH (other:Person)-[held:HOLDS]->(r) WHERE other.id <> $personId
        DELETE held
        WITH DISTINCT pl, p, r
        OPTIONAL MATCH (r)-[was:FOR_UNIT]->(:Unit)
        DELETE was
        WITH DISTINCT pl, p, r
        MERGE (p)-[:HOLDS]->(r)
        MERGE (r)-[:AT]->(pl)
        WITH r
        OPTIONAL MATCH (u:Unit {{id: $unitId}})
        FOREACH (x IN CASE WHEN u IS NULL THEN [] ELSE [u] END | MERGE (r)-[:FOR_UNIT]->(x))
        RETURN r.id AS id
        """,
        write=True,
    )


ASSIGN = {label: _assign(label) for label in ROLE_PLACES}

#: keep an ended role as history under its own id, before its post's id is given anew
#: (the copy never holds the post's id, not even for a moment: Neo4j checks the unique
#: constraint at each SET)
ARCHIVE = statement(
    "people.archive_role",
    """
    MATCH (p:Person)-[:HOLDS]->(r:Role {id: $id})-[:AT]->(pl)
    WHERE r.until IS NOT NULL
    CREATE (a:Role {id: $archiveId})
    SET a += r {.*, id: $archiveId, updatedAt: $now}
    CREATE (p)-[:HOLDS]->(a)
    CREATE (a)-[:AT]->(pl)
    WITH r, a
    OPTIONAL MATCH (r)-[:FOR_UNIT]->(u:Unit)
    FOREACH (x IN CASE WHEN u IS NULL THEN [] ELSE [u] END | CREATE (a)-[:FOR_UNIT]->(x))
    RETURN a.id AS id
    """,
    write=True,
    idempotent=False,
)

END = statement(
    "people.end_role",
    """
    MATCH (r:Role {id: $id}) WHERE r.until IS NULL
    SET r.until = $until, r.updatedAt = $now
    RETURN r.id AS id
    """,
    write=True,
)
