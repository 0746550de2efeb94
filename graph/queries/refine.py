"""The refinement of demand categories inferred at load time (``loaders.refine``).

A roster's demand without a usable 需求类别 is stored with the classifier's lexical
decision (``categoryInferredBy: 'LEXICAL'``); the refinement later embeds it and
stores ``matching.classify``'s decision (``'STACKED'``). Both statements test the
same condition, so a category a person settled in between (``categoryInferred``
false: confirmed, corrected or given by a roster) is never rewritten.
"""

from __future__ import annotations

from graph.cypher import statement

_PENDING = "d.categoryInferred = true AND d.categoryInferredBy = 'LEXICAL'"

#: demands still holding the lexical decision, by id after ``$after`` (a cursor)
PENDING = statement(
    "refine.pending",
    f"""
    MATCH (d:Demand) WHERE {_PENDING} AND d.id > $after
    RETURN d.id AS id, d.title AS title, coalesce(d.description, '') AS description,
      d.category AS category
    ORDER BY id LIMIT $limit
    """,
)

#: how many demands are still to be refined
COUNT = statement("refine.count", f"MATCH (d:Demand) WHERE {_PENDING} RETURN count(d) AS total")

#: the stacked decision, on demands still pending ($rows: id, category, confidence)
WRITE = statement(
    "refine.write",
    f"""
    UNWIND $rows AS row
    MATCH (d:Demand {{id: row.id}}) WHERE {_PENDING}
    SET d.category = row.category, d.categoryConfidence = row.confidence,
        d.categoryInferredBy = 'STACKED', d.updatedAt = $now
    RETURN count(d) AS written
    """,
    write=True,
)

#: the stacked decisions already stored for some texts (a roster loaded again after its
#: refinement keeps them): demands inferred by the classifier with these titles
KNOWN = statement(
    "refine.known",
    """
    MATCH (d:Demand)
    WHERE d.title IN $titles AND d.categoryInferred = true AND d.categoryInferredBy = 'STACKED'
    RETURN d.title AS title, coalesce(d.description, '') AS description,
      d.category AS category, d.categoryConfidence AS confidence
    """,
)
