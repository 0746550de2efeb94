"""FalkorDB's compact result set read straight into rows of plain Python values.

falkordb-py (1.8) parses each value of a result with an awaited coroutine, a map into
an ``OrderedDict``, and ``falkordb.plain`` then copied it into a dict: a page of a few
hundred node maps cost thousands of awaits, the larger part of a statement's time in
the API process. The statements of ``graph/`` return scalars, lists and maps (``n {.*}``),
which are read here in one synchronous pass; a result holding anything else (a node,
an edge, a path, a point, a temporal value) is left to the driver (``Unplain``).

The command is the driver's own (``GRAPH.QUERY`` / ``GRAPH.RO_QUERY``, its parameter
header, ``--compact``, the timeout); only the reading of the reply differs.
"""

from __future__ import annotations

from typing import Any

from redis.exceptions import ResponseError

from graph.backends.base import Row

QUERY_CMD, RO_QUERY_CMD = "GRAPH.QUERY", "GRAPH.RO_QUERY"
# the compact format's value types (falkordb.asyncio.query_result.PARSE_SCALAR_TYPES)
_NULL, _STRING, _INTEGER, _BOOLEAN, _DOUBLE, _ARRAY, _MAP = 1, 2, 3, 4, 5, 6, 10


class Unplain(Exception):
    """The reply holds a value this module does not read (or is an error): the driver's."""


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode()
    return value if isinstance(value, str) else str(value)


def value_of(cell: Any) -> Any:
    """One compact ``[type, value]`` cell as plain Python.

    >>> value_of([10, ["a", [3, 1], "b", [6, [[2, "x"], [1, None]]]]])
    {'a': 1, 'b': ['x', None]}
    """
    kind, raw = int(cell[0]), cell[1]
    if kind == _STRING:
        return _text(raw)
    if kind == _NULL:
        return None
    if kind == _INTEGER:
        return int(raw)
    if kind == _MAP:
        return {_text(raw[i]): value_of(raw[i + 1]) for i in range(0, len(raw), 2)}
    if kind == _ARRAY:
        return [value_of(item) for item in raw]
    if kind == _BOOLEAN:
        return _text(raw) == "true"
    if kind == _DOUBLE:
        return float(raw)
    raise Unplain(kind)


def rows_of(reply: list[Any]) -> list[Row]:
    """The rows of a compact reply (``[header, rows, stats]`` or ``[stats]``), or Unplain.

    >>> rows_of([[[1, "n"]], [[[3, 7]], [[2, "x"]]], ["Cached execution: 1"]])
    [{'n': 7}, {'n': 'x'}]
    """
    if isinstance(reply[0], ResponseError) or isinstance(reply[-1], ResponseError):
        raise Unplain("error")
    if len(reply) == 1:
        return []
    columns = [str(column[1]) if isinstance(column, list) else str(column) for column in reply[0]]
    if not columns:
        return []
    return [dict(zip(columns, (value_of(cell) for cell in row), strict=True)) for row in reply[1]]


def command(
    graph: Any, text: str, params: dict[str, Any], *, write: bool, timeout: int | None
) -> list[Any]:
    """The driver's command for ``text`` (``falkordb.asyncio.AsyncGraph._query``)."""
    query = graph._build_params_header(params) + text
    found: list[Any] = [QUERY_CMD if write else RO_QUERY_CMD, graph.name, query, "--compact"]
    if timeout is not None:
        found.extend(["timeout", timeout])
    return found
