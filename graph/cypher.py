"""Named Cypher statements and their registry.

A statement is declared once, at import time, as a module constant::

    GET_COUNTY = statement("places.get_county", "MATCH (c:County {id: $id}) RETURN c {.*} AS c")

``dialect`` says where it may run: ``portable`` (both backends; linted as
Neo4j 5 Cypher and run on FalkorDB), ``falkordb`` or ``neo4j`` (a backend's own
procedures, kept inside ``graph.backends``). Builders that vary a label or a
relationship type take them from an allow-list and register every variant, so
the registry is the complete list of what the project can send.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Dialect = Literal["portable", "falkordb", "neo4j"]

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_NAME = re.compile(r"^[a-z_0-9]+(\.[a-zA-Z0-9_]+)+$")


@dataclass(frozen=True)
class Statement:
    name: str
    text: str
    write: bool = False
    dialect: Dialect = "portable"
    #: a write that may be sent again after a lost connection without harm (MERGE, SET)
    idempotent: bool = True

    @property
    def parameters(self) -> frozenset[str]:
        return frozenset(_PARAM.findall(self.text))


REGISTRY: dict[str, Statement] = {}
#: names of the statements this process has sent, per backend ("falkordb", "neo4j"): the
#: tests check that every registered statement ran at least once on each
SENT: dict[str, set[str]] = {"falkordb": set(), "neo4j": set()}


def statement(
    name: str,
    text: str,
    *,
    write: bool = False,
    dialect: Dialect = "portable",
    idempotent: bool = True,
) -> Statement:
    """Declare and register a statement; a name is registered once.

    >>> s = statement("doc.example", "RETURN $x AS x")
    >>> sorted(s.parameters)
    ['x']
    """
    if not _NAME.match(name):
        raise ValueError(f"statement names are dotted, starting lower-case: {name!r}")
    stmt = Statement(name, " ".join(text.split()), write, dialect, idempotent)
    existing = REGISTRY.get(name)
    if existing is not None and existing != stmt:
        raise ValueError(f"two different statements named {name!r}")
    REGISTRY[name] = stmt
    return stmt


def identifier(value: str, allowed: frozenset[str] | set[str] | tuple[str, ...]) -> str:
    """A label, relationship type or property name, checked against an allow-list.

    The only way a name enters query text; values always go in as parameters.
    """
    if value not in allowed:
        raise ValueError(f"{value!r} is not an allowed name here")
    return value
