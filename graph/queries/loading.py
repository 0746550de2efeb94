"""Statements of the roster loaders (``loaders``): reference look-ups, link sync, defaults.

Links are kept in step with a roster row by reading the links a node owns
(``LINKS_OF``), diffing in Python and sending only what changed: ``LINK`` merges
with the wanted properties, ``UNLINK`` deletes. Every variant is one of
``LOADER_LINKS``, checked against ``graph.model.RELATIONSHIPS`` at import.
"""

from __future__ import annotations

from typing import Literal

from graph.cypher import Statement, identifier, statement
from graph.model import LABELS, REL_TYPES, RELATIONSHIPS

_LABELS = frozenset(LABELS)
Side = Literal["start", "end"]

#: (start label, relationship type, end label) the loaders write
LOADER_LINKS: tuple[tuple[str, str, str], ...] = (
    ("Unit", "IN_COUNTY", "County"),
    ("Unit", "LIAISES_WITH", "Community"),
    ("PartyOrganization", "BELONGS_TO", "Unit"),
    ("Unit", "OFFERS", "Resource"),
    ("Resource", "AVAILABLE_IN", "County"),
    ("Resource", "AVAILABLE_IN", "Street"),
    ("Resource", "AVAILABLE_IN", "Community"),
    ("Person", "HOLDS", "Role"),
    ("Role", "AT", "Street"),
    ("Role", "AT", "Community"),
    ("Role", "AT", "Compound"),
    ("Role", "AT", "Building"),
    ("Role", "AT", "PartyOrganization"),
    ("Role", "FOR_UNIT", "Unit"),
    ("Person", "WORKS_AT", "Unit"),
    ("Demand", "FOR", "Community"),
    ("Demand", "AT", "Compound"),
    ("Demand", "AT", "Building"),
    ("Project", "MEETS", "Demand"),
    ("Project", "USES", "Resource"),
    ("Project", "LED_BY", "Unit"),
    ("Project", "JOINED_BY", "Unit"),
    ("Project", "IN", "Community"),
)


def _check_model() -> None:
    allowed = {(s, rel.type, e) for rel in RELATIONSHIPS for s in rel.start for e in rel.end}
    for link in LOADER_LINKS:
        if link not in allowed:
            raise ValueError(f"{link} is not a relationship of graph.model")


_check_model()

#: places whose parent the loaders set (written with ``places.LINK_PARENT``)
CHILD_PLACES: tuple[str, ...] = ("Street", "Community", "Compound", "Building")

#: (owner label, relationship type, owner side): the link sets a roster row owns
OWNED: tuple[tuple[str, str, Side], ...] = (
    ("Unit", "IN_COUNTY", "start"),
    ("Unit", "LIAISES_WITH", "start"),
    ("PartyOrganization", "BELONGS_TO", "start"),
    ("Resource", "OFFERS", "end"),
    ("Resource", "AVAILABLE_IN", "start"),
    ("Role", "HOLDS", "end"),
    ("Role", "AT", "start"),
    ("Role", "FOR_UNIT", "start"),
    ("Person", "WORKS_AT", "start"),
    ("Demand", "FOR", "start"),
    ("Demand", "AT", "start"),
    ("Project", "MEETS", "start"),
    ("Project", "USES", "start"),
    ("Project", "LED_BY", "start"),
    ("Project", "JOINED_BY", "start"),
    ("Project", "IN", "start"),
    *((child, "PART_OF", "start") for child in CHILD_PLACES),
)


def _links_of(owner: str, rel: str, side: Side) -> Statement:
    owner = identifier(owner, _LABELS)
    rel = identifier(rel, REL_TYPES)
    pattern = f"(a:{owner})-[r:{rel}]->(b)" if side == "start" else f"(b)-[r:{rel}]->(a:{owner})"
    return statement(
        f"loading.links_of.{owner}.{rel}.{side}",
        f"""
        MATCH {pattern} WHERE a.id IN $ids
        RETURN a.id AS owner, b.id AS other, properties(r) AS props
        """,
    )


def _link(start: str, rel: str, end: str) -> Statement:
    start, end = identifier(start, _LABELS), identifier(end, _LABELS)
    rel = identifier(rel, REL_TYPES)
    return statement(
        f"loading.link.{start}.{rel}.{end}",
        f"""
        UNWIND $rows AS row
        MATCH (a:{start} {{id: row.start}})
        MATCH (b:{end} {{id: row.end}})
        MERGE (a)-[r:{rel}]->(b)
        SET r = row.props
        RETURN count(r) AS linked
        """,
        write=True,
    )


def _unlink(start: str, rel: str, end: str) -> Statement:
    start, end = identifier(start, _LABELS), identifier(end, _LABELS)
    rel = identifier(rel, REL_TYPES)
    return statement(
        f"loading.unlink.{start}.{rel}.{end}",
        f"""
        UNWIND $rows AS row
        MATCH (a:{start} {{id: row.start}})-[r:{rel}]->(b:{end} {{id: row.end}})
        DELETE r
        RETURN count(*) AS unlinked
        """,
        write=True,
    )


LINKS_OF = {key: _links_of(*key) for key in OWNED}
LINK = {key: _link(*key) for key in LOADER_LINKS}
#: links whose far end is part of the owner's natural key (a demand's community, a role's
#: place, a unit's county, a resource's unit, a party organization's unit): another end
#: means another node, so these links are created, never moved
FIXED = frozenset({
    ("Demand", "FOR"), ("Role", "AT"), ("Unit", "IN_COUNTY"), ("Unit", "OFFERS"),
    ("PartyOrganization", "BELONGS_TO"),
})  # fmt: skip
UNLINK = {key: _unlink(*key) for key in LOADER_LINKS if key[:2] not in FIXED}

# -- references a roster row may name ------------------------------------------------

COUNTIES = statement("loading.counties", "MATCH (c:County) RETURN c.id AS id ORDER BY c.id")

DECLARED_COMMUNITIES = statement(
    "loading.declared_communities",
    """
    MATCH (c:Community) WHERE c.declared = true
    RETURN c.id AS id, c.name AS name ORDER BY c.id
    """,
)

UNITS = statement(
    "loading.units",
    """
    MATCH (u:Unit) OPTIONAL MATCH (u)-[:LIAISES_WITH]->(c:Community)
    WITH u, collect(c.id) AS communities
    RETURN u.id AS id, u.name AS name, u.countyId AS countyId, communities ORDER BY u.id
    """,
)

RESOURCES_BY_NAME = statement(
    "loading.resources_by_name",
    """
    MATCH (u:Unit)-[:OFFERS]->(r:Resource) WHERE r.name IN $names
    RETURN r.id AS id, r.name AS name, u.id AS unitId
    """,
)

EXISTING_DEMANDS = statement(
    "loading.existing_demands", "MATCH (d:Demand) WHERE d.id IN $ids RETURN d.id AS id"
)

# -- what a row implies beyond its own properties ---------------------------------------

# run once after a kind is written: new nodes get them, existing ones keep theirs, and a
# load killed before this point gets them on its rerun
DEMAND_DEFAULTS = statement(
    "loading.demand_defaults",
    """
    MATCH (d:Demand) WHERE d.status IS NULL
    SET d.status = $status
    RETURN count(d) AS set
    """,
    write=True,
)

RESOURCE_DEFAULTS = statement(
    "loading.resource_defaults",
    """
    MATCH (r:Resource) WHERE r.status IS NULL OR r.allocated IS NULL
    SET r.status = coalesce(r.status, $status), r.allocated = coalesce(r.allocated, 0)
    RETURN count(r) AS set
    """,
    write=True,
)

ROLES_AT_BUILDINGS = statement(
    "loading.roles_at_buildings",
    """
    MATCH (r:Role)-[:AT]->(b:Building)
    WHERE b.id IN $ids AND r.kind IN $kinds
    RETURN b.id AS building, r.id AS role
    """,
)

DELETE_ROLES = statement(
    "loading.delete_roles",
    """
    UNWIND $ids AS id
    MATCH (r:Role {id: id})
    DETACH DELETE r
    RETURN count(*) AS deleted
    """,
    write=True,
)

ALLOCATE = statement(
    "loading.allocate",
    """
    UNWIND $ids AS id
    MATCH (r:Resource {id: id})
    OPTIONAL MATCH (p:Project)-[u:USES]->(r) WHERE p.status <> $cancelled
    WITH r, toInteger(coalesce(sum(u.quantity), 0)) AS used
    WHERE r.allocated IS NULL OR r.allocated <> used
    SET r.allocated = used
    RETURN r.id AS id, used
    """,
    write=True,
)

# -- the whole graph, for tests and checks ---------------------------------------------

ALL_NODES = statement(
    "loading.all_nodes",
    "MATCH (n) RETURN labels(n)[0] AS label, n {.*} AS props ORDER BY n.id",
)

ALL_LINKS = statement(
    "loading.all_links",
    """
    MATCH (a)-[r]->(b)
    RETURN a.id AS start, type(r) AS type, b.id AS end, properties(r) AS props
    ORDER BY start, type, end
    """,
)
