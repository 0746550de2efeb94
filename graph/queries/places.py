"""The administrative hierarchy: county -> street -> community -> compound -> building."""

from __future__ import annotations

from graph.cypher import Statement, statement

#: parent label -> child labels reached through PART_OF
HIERARCHY: dict[str, tuple[str, ...]] = {
    "County": ("Street",),
    "Street": ("Community",),
    "Community": ("Compound", "Grid"),
    "Compound": ("Building",),
}

COUNTIES = statement(
    "places.counties",
    "MATCH (c:County) RETURN c {.*} AS node ORDER BY c.code",
)


def _children(parent: str, child: str) -> Statement:
    return statement(
        f"places.children.{parent}.{child}",
        f"""
        MATCH (c:{child})-[:PART_OF]->(p:{parent})
        WHERE p.id IN $ids
        RETURN p.id AS parent, c {{.*}} AS node
        ORDER BY coalesce(c.code, c.name), c.id
        """,
    )


def _parent(child: str, parent: str) -> Statement:
    return statement(
        f"places.parent.{child}.{parent}",
        f"""
        MATCH (c:{child})-[:PART_OF]->(p:{parent})
        WHERE c.id IN $ids
        RETURN c.id AS child, p {{.*}} AS node
        """,
    )


CHILDREN = {
    (parent, child): _children(parent, child)
    for parent, children in HIERARCHY.items()
    for child in children
}
PARENT = {
    (child, parent): _parent(child, parent)
    for parent, children in HIERARCHY.items()
    for child in children
}

LINK_PARENT = {
    (child, parent): statement(
        f"places.link_parent.{child}.{parent}",
        f"""
        UNWIND $rows AS row
        MATCH (c:{child} {{id: row.child}})
        MATCH (p:{parent} {{id: row.parent}})
        OPTIONAL MATCH (c)-[old:PART_OF]->(other:{parent})
        WHERE other.id <> row.parent
        DELETE old
        MERGE (c)-[:PART_OF]->(p)
        RETURN count(DISTINCT c) AS linked
        """,
        write=True,
    )
    for parent, children in HIERARCHY.items()
    for child in children
}
