"""The refinement of categories inferred at load time (``loaders.refine``).

A roster's demand without a usable 需求类别, or resource without a usable 资源类别, is
stored with the classifier's lexical decision (``categoryInferredBy: 'LEXICAL'``); the
refinement later embeds it and stores ``matching.classify``'s decision (``'STACKED'``).
Both statements test the same condition, so a category a person settled in between
(``categoryInferred`` false: confirmed, corrected or given by a roster) is never
rewritten. One set of statements per label, the text read from its title property.
"""

from __future__ import annotations

from graph.cypher import Statement, statement

#: the labels whose category may be inferred, and the property that is their title
TITLES = {"Demand": "title", "Resource": "name"}

_PENDING = "n.categoryInferred = true AND n.categoryInferredBy = 'LEXICAL'"


def _pending(label: str, title: str) -> Statement:
    """Nodes still holding the lexical decision, by id after ``$after`` (a cursor)."""
    return statement(
        f"refine.pending.{label.lower()}",
        f"""
        MATCH (n:{label}) WHERE {_PENDING} AND n.id > $after
        RETURN n.id AS id, n.{title} AS title, coalesce(n.description, '') AS description,
          n.category AS category
        ORDER BY id LIMIT $limit
        """,
    )


def _count(label: str) -> Statement:
    return statement(
        f"refine.count.{label.lower()}",
        f"MATCH (n:{label}) WHERE {_PENDING} RETURN count(n) AS total",
    )


def _write(label: str) -> Statement:
    """The stacked decision, on nodes still pending ($rows: id, category, confidence)."""
    return statement(
        f"refine.write.{label.lower()}",
        f"""
        UNWIND $rows AS row
        MATCH (n:{label} {{id: row.id}}) WHERE {_PENDING}
        SET n.category = row.category, n.categoryConfidence = row.confidence,
            n.categoryInferredBy = 'STACKED', n.updatedAt = $now
        RETURN count(n) AS written
        """,
        write=True,
    )


def _known(label: str, title: str) -> Statement:
    """The stacked decisions already stored for some texts (a roster loaded again after
    its refinement keeps them): nodes inferred by the classifier with these titles."""
    return statement(
        f"refine.known.{label.lower()}",
        f"""
        MATCH (n:{label})
        WHERE n.{title} IN $titles AND n.categoryInferred = true
          AND n.categoryInferredBy = 'STACKED'
        RETURN n.{title} AS title, coalesce(n.description, '') AS description,
          n.category AS category, n.categoryConfidence AS confidence
        """,
    )


PENDING = {label: _pending(label, title) for label, title in TITLES.items()}
COUNT = {label: _count(label) for label in TITLES}
WRITE = {label: _write(label) for label in TITLES}
KNOWN = {label: _known(label, title) for label, title in TITLES.items()}
