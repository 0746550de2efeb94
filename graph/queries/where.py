"""Composed filters and sort keys as parameters of fixed statements.

A list's AND / OR / NOT filter reaches Cypher as ``$anyOf``: a filter in disjunctive
normal form (built by ``resolvers.where``), a list of clauses, each a list of atoms
``{key, op, values, bound, text, keys, guarded, dflt, neg}``. ``any_of`` evaluates it
generically, so every composition runs through the same statement text. Each value an
operator reads has its own slot (``values`` a list, ``bound`` a comparable, ``text`` a
string), because FalkorDB evaluates every branch of a CASE and rejects ``STARTS WITH``
or ``CONTAINS`` on a non-string even in a branch not taken.

Sorting by several keys uses ``$sort1..$sortN`` and ``$desc1..$descN``: Cypher cannot
take a direction as a parameter, so each slot orders twice, once DESC and once ASC, by
an expression that is null (a constant: no effect) in the direction not asked for.
"""

from __future__ import annotations

from collections.abc import Callable

from graph.cypher import Statement, statement

#: sort slots in every list statement: up to ``SORT_SLOTS - 1`` keys a caller gives, then
#: the id as the last tie-break
SORT_SLOTS = 4


def any_of(node: str, personal: str = "true", value: str | None = None) -> str:
    """Cypher: ``$anyOf`` holds for the matched ``node`` (null: no composition).

    ``value`` is the expression of an atom's key (``a.key``), by default the node's
    property; a list with computed keys (a resource's ``left``) passes a CASE. A
    ``guarded`` text atom (digits: a phone, an ID card; or a name) matches only where
    ``personal`` holds (see ``scope.personal_text``), and negated it is then true
    everywhere: nothing about hidden text leaks through OR or NOT.

    >>> "d[a.key] IN a.values" in any_of("d")
    True
    """
    v = value or f"{node}[a.key]"
    return f"""($anyOf IS NULL OR any(clause IN $anyOf WHERE all(a IN clause WHERE
      a.neg <> coalesce(CASE a.op
        WHEN 'in' THEN coalesce({v}, a.dflt) IN a.values
        WHEN 'eq' THEN coalesce({v}, a.dflt) = a.values[0]
        WHEN 'ge' THEN {v} >= a.bound
        WHEN 'le' THEN {v} <= a.bound
        WHEN 'text' THEN (NOT a.guarded OR {personal})
                         AND any(k IN a.keys WHERE {node}[k] CONTAINS a.text)
      END, false))))"""


def order_by(value: Callable[[str], str]) -> str:
    """Cypher: ORDER BY the sort slots; ``value(param)`` is the expression of one key.

    >>> order_by(lambda key: f"d[{key}]").count("DESC")
    4
    """
    slots = []
    for i in range(1, SORT_SLOTS + 1):
        v = value(f"$sort{i}")
        slots.append(
            f"CASE WHEN $desc{i} THEN {v} END DESC, CASE WHEN $desc{i} THEN null ELSE {v} END"
        )
    return "ORDER BY " + ", ".join(slots)


def by_property(node: str) -> Callable[[str], str]:
    """The sort expression of a plain property key."""
    return lambda key: f"{node}[{key}]"


def list_of(
    name: str,
    filtered: str,
    variables: str,
    node: str,
    returned: str,
    *,
    sort: Callable[[str], str] | None = None,
) -> tuple[Statement, Statement]:
    """A filtered list's page and its total: ``{name}.list`` (``filtered``, sorted by the
    sort slots of ``node`` or ``sort``, ``$skip``/``$limit``, RETURN ``returned``) and
    ``{name}.count`` (``total``)."""
    order = order_by(sort if sort is not None else by_property(node))
    page = statement(
        f"{name}.list",
        f"""{filtered}
    WITH {variables} {order} SKIP $skip LIMIT $limit
    RETURN {returned}
    """,
    )
    return page, statement(f"{name}.count", f"{filtered} RETURN count({node}) AS total")


def pages_of(
    name: str, filtered: str, variables: str, node: str, key: str, projection: str
) -> Statement:
    """A page of every parent's filtered list in one statement (a nested connection).

    ``filtered`` is a list's filter whose MATCH also binds the parents (``WHERE p.id IN
    $ids``); each parent's rows are sorted by the sort slots (``order_by``) of ``node``,
    collected per ``key``, and the page cut out of them (``$skip``, ``$limit``) with the
    parent's total.
    """
    return statement(
        name,
        f"""{filtered}
    WITH {variables}, {key} AS key {order_by(by_property(node))}
    WITH key, {projection} AS node
    WITH key, collect(node) AS nodes
    RETURN key, nodes[$skip..$skip + $limit] AS nodes, size(nodes) AS total
    """,
    )
