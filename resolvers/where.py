"""Filters composed with AND / OR / NOT, compiled to one fixed-shape parameter.

A list filter's own fields combine with AND, as before; its ``AND``, ``OR`` and ``NOT``
parts (filters of the same type, nested freely) compile to ``$anyOf``: disjunctive normal
form, a list of clauses (OR) of atoms (AND), each atom ``{key, op, values, ..., neg}``.
``graph.queries.where.any_of`` evaluates it in every list statement, so the statement
text stays the same whatever the composition.

Each list declares its atoms once (``Atoms``: filter field -> how it tests a row). The
scope (a division code) stays a top-level field: inside AND/OR/NOT it is refused. The
size is bounded: a composition whose normal form has more than ``MAX_CLAUSES`` clauses
or more than ``MAX_ATOMS`` atoms in a clause is refused, naming the limit.

>>> from resolvers.demands import ATOMS, DemandFilter
>>> f = DemandFilter.model_validate({"not_": {"statuses": ["OPEN"], "urgencies": ["URGENT"]}})
>>> [[(a["key"], a["values"], a["neg"]) for a in c] for c in compile_filter(f, ATOMS)]
[[('status', ['OPEN'], True)], [('urgency', ['URGENT'], True)]]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel

from domain.errors import InvalidInput
from resolvers.inputs import Input

Op = Literal["in", "eq", "ge", "le", "text"]
Clause = list[dict[str, Any]]

MAX_CLAUSES = 32
MAX_ATOMS = 24


@dataclass(frozen=True)
class Atom:
    """How one filter field tests a row: the property ``key`` and the operator (``text``
    looks for the value in any of ``keys``, only inside the caller's personal scope when
    the text has digits or the keys are ``personal``; ``eq`` reads a missing property as
    ``default``)."""

    key: str
    op: Op
    keys: tuple[str, ...] = ()
    default: object = None
    personal: bool = False


Atoms = Mapping[str, Atom]

#: filter fields that hold only at a filter's top level: the place a list is about, and
#: overdue (computed per row from the demand's assignments, only when asked for)
TOP_LEVEL_ONLY = ("scope", "overdue")


class Composable(Input):
    """A filter with ``AND``, ``OR`` and ``NOT`` parts (subclasses narrow the types) and
    several sort keys: (key, descending) pairs."""

    and_: list[Any] | None = None
    or_: list[Any] | None = None
    not_: Any | None = None
    sort: str = "name"
    descending: bool = False
    sort_by: list[tuple[str, bool]] | None = None


def latest(*dates: str | date | None) -> str | None:
    """The latest of the dates given, as YYYY-MM-DD (two lower bounds: both hold)."""
    given = [d.isoformat() if isinstance(d, date) else d for d in dates if d is not None]
    return max(given) if given else None


def earliest(*dates: str | date | None) -> str | None:
    """The earliest of the dates given, as YYYY-MM-DD (two upper bounds: both hold)."""
    given = [d.isoformat() if isinstance(d, date) else d for d in dates if d is not None]
    return min(given) if given else None


def compile_filter(f: BaseModel, atoms: Atoms) -> list[Clause] | None:
    """``$anyOf`` for the AND/OR/NOT parts of ``f`` (its own fields go in as before);
    None when there are none, so the statements skip the test."""
    parts = _parts(f, atoms)
    return None if parts == [[]] else parts


def _parts(f: BaseModel, atoms: Atoms) -> list[Clause]:
    dnf: list[Clause] = [[]]
    for sub in getattr(f, "and_", None) or []:
        dnf = _product(dnf, _whole(sub, atoms))
    ors = getattr(f, "or_", None)
    if ors:  # an empty OR is ignored, as an empty AND
        union: list[Clause] = []
        for sub in ors:
            union = _bounded([*union, *_whole(sub, atoms)])
        dnf = _product(dnf, union)
    negated = getattr(f, "not_", None)
    if negated is not None:
        dnf = _product(dnf, _negate(_whole(negated, atoms)))
    return dnf


def _whole(f: BaseModel, atoms: Atoms) -> list[Clause]:
    """A nested filter: its own fields (AND) and its parts."""
    for name in TOP_LEVEL_ONLY:
        if getattr(f, name, None) is not None:
            raise InvalidInput(
                f"{name} 只能写在最外层的过滤条件中，不能写在 AND/OR/NOT 里 "
                f"({name} is allowed at the top level of a filter only)",
                field=f"filter.{name}",
            )
    own = [_atom(atoms[name], value) for name, value in _given(f, atoms)]
    return _product([own], _parts(f, atoms))


def _given(f: BaseModel, atoms: Atoms) -> list[tuple[str, Any]]:
    found = []
    for name in atoms:
        value = getattr(f, name, None)
        if value is None or value == [] or value == "":
            continue
        found.append((name, value))
    return found


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return value.value if isinstance(value, Enum) else value


def _atom(spec: Atom, value: Any) -> dict[str, Any]:
    values = [_plain(v) for v in value] if isinstance(value, list) else [_plain(value)]
    text = values[0] if spec.op == "text" else ""
    return {
        "key": spec.key,
        "op": spec.op,
        "values": values,
        "bound": values[0] if spec.op in ("ge", "le") else None,
        "text": text,
        "keys": list(spec.keys),
        "guarded": spec.personal or any(ch.isdigit() for ch in text),
        "dflt": spec.default,
        "neg": False,
    }


def _product(left: list[Clause], right: list[Clause]) -> list[Clause]:
    return _bounded([[*a, *b] for a in left for b in right])


def _negate(dnf: list[Clause]) -> list[Clause]:
    """NOT (C1 OR C2 ...) = (NOT a1 OR NOT a2 ...) AND ... , back in normal form."""
    result: list[Clause] = [[]]
    for clause in dnf:
        result = _product(result, [[{**a, "neg": not a["neg"]}] for a in clause])
    return result


def _bounded(dnf: list[Clause]) -> list[Clause]:
    if len(dnf) > MAX_CLAUSES or any(len(c) > MAX_ATOMS for c in dnf):
        raise InvalidInput(
            f"过滤条件太复杂：展开后最多 {MAX_CLAUSES} 个 OR 分支、每个分支最多 {MAX_ATOMS} 个条件，"
            "请拆成几次查询 (filter too complex: at most "
            f"{MAX_CLAUSES} OR-clauses of at most {MAX_ATOMS} conditions once expanded)",
            field="filter",
        )
    return dnf
