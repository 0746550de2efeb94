"""The top-level read fields of a type, declared once: one object by id (``by_id``) and
a filtered, sorted page of them (``pages``)::

    @strawberry.type
    class DemandQuery:
        demand = listing.by_id(Demand, resolve.get, description="A demand by id")
        demands = listing.pages(
            Demand, resolve.search, DemandFilter, DemandSort.COLLECTED_ON, descending=True,
            description="Demands, filtered and sorted, a page at a time",
        )

``pages`` takes the arguments every top-level list takes, in this order: ``filter``,
``sort`` (the default given), ``descending``, ``first``, ``after``, ``sortBy``,
``last``, ``before``; ``search`` is ``(ctx, data, first, after, with_total, *, last,
before) -> Page``, ``with_total`` when the document selects ``totalCount``.

A top-level list of what one place holds (``members(communityCode:)``) is ``paged``:
``(<key>:, first:, after:)`` returning ``Connection[of]``, the list read whole as a
relation is (batched, through the reader) and cut to the page (``relation.paged``'s
window)::

    members = listing.paged(
        Member, resolve.in_community, "community_code", convert=member_object,
        description="双报到党员 registered in a community, newest first, a page at a time",
    )
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from enum import Enum
from typing import Annotated, Any, Optional, TypeVar

import strawberry

from resolvers.paging import Page, cut, window
from schema.common import Connection, SortDirection, connection, list_arguments
from schema.convert import to_object
from schema.selection import selects

T = TypeVar("T")
_KEYWORD = inspect.Parameter.KEYWORD_ONLY
_SELF_INFO = [
    inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD),
    inspect.Parameter("info", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=strawberry.Info),
]


def _arg(name: str, annotation: Any, default: Any = None) -> inspect.Parameter:
    return inspect.Parameter(name, _KEYWORD, default=default, annotation=annotation)


def _field(resolve: Any, params: list[inspect.Parameter], returns: Any, doc: str | None) -> Any:
    resolve.__signature__ = inspect.Signature([*_SELF_INFO, *params], return_annotation=returns)
    return strawberry.field(resolver=resolve, description=doc)


def by_id(
    of: Any,
    get: Callable[[Any, str], Awaitable[Any]],
    *,
    convert: Callable[[Any], Any] = to_object,
    description: str | None = None,
) -> Any:
    """``<name>(id: ID!): <of>``: the object, or null when missing or out of scope."""

    async def resolve(self: Any, info: strawberry.Info, id: str) -> Any:
        found = await get(info.context, id)
        return convert(found) if found else None

    params = [_arg("id", strawberry.ID, inspect.Parameter.empty)]
    return _field(resolve, params, Optional[of], description)  # noqa: UP045 (of is a value)


def pages(
    of: Any,
    search: Callable[..., Awaitable[Page[Any]]],
    filter: type[Any],
    sort: Enum,
    *,
    descending: bool,
    convert: Callable[[Any], Any] = to_object,
    description: str | None = None,
) -> Any:
    """``<name>(filter:, sort:, descending:, first:, after:, sortBy:, last:, before:)``
    returning ``Connection[of]``; ``sortBy`` takes ``<of>SortInput`` (made here)."""

    async def resolve(self: Any, info: strawberry.Info, **a: Any) -> Any:
        data = list_arguments(a["filter"], a["sort"], a["descending"], a["sort_by"])
        with_total = selects(info, "totalCount")
        found = await search(
            info.context,
            data,
            a["first"],
            a["after"],
            with_total,
            last=a["last"],
            before=a["before"],
        )
        return connection(found, convert)

    sort_inputs: Any = list[_sort_input(type(sort), f"{of.__name__}SortInput")]  # type: ignore[misc]
    several = strawberry.argument(description="several sort keys; replace sort and descending")
    last = strawberry.argument(description="the last rows (before `before`)")
    params = [
        _arg("filter", Optional[filter]),  # noqa: UP045 (a value)
        _arg("sort", type(sort), sort),
        _arg("descending", bool, descending),
        _arg("first", Optional[int]),  # noqa: UP045
        _arg("after", Optional[str]),  # noqa: UP045
        _arg("sort_by", Annotated[Optional[sort_inputs], several]),  # noqa: UP045
        _arg("last", Annotated[Optional[int], last]),  # noqa: UP045
        _arg("before", Optional[str]),  # noqa: UP045
    ]
    return _field(resolve, params, Connection[of], description)


def paged(
    of: Any,
    load: Callable[[Any, str], Awaitable[list[Any]]],
    key: str,
    *,
    convert: Callable[[Any], Any] = to_object,
    description: str | None = None,
) -> Any:
    """``<name>(<key>: String!, first:, after:)`` returning ``Connection[of]``: what
    ``load`` reads for the key, cut to the page; ``totalCount`` its length."""

    async def resolve(self: Any, info: strawberry.Info, **a: Any) -> Any:
        # checked before the load: a bad cursor or page size fails the field alone
        win = window(a["first"], a["after"], info.context.max_page_size)
        return connection(cut(await load(info.context, a[key]), win), convert)

    params = [
        _arg(key, str, inspect.Parameter.empty),
        _arg("first", Optional[int]),  # noqa: UP045
        _arg("after", Optional[str]),  # noqa: UP045
    ]
    return _field(resolve, params, Connection[of], description)


def composable(cls: type[T]) -> type[T]:
    """A filter input's ``AND``, ``OR`` and ``NOT`` parts (of its own type), after its
    fields: put it under ``@strawberry.input``."""
    name = cls.__name__
    parts = {
        "and_": (f"list[{name}] | None", "AND", "every one of these filters holds"),
        "or_": (f"list[{name}] | None", "OR", "at least one of these filters holds"),
        "not_": (f"{name} | None", "NOT", "this filter does not hold"),
    }
    for attr, (annotation, graphql_name, doc) in parts.items():
        cls.__annotations__[attr] = annotation
        setattr(cls, attr, strawberry.field(default=None, name=graphql_name, description=doc))
    return cls


def _sort_input(sort: type[Enum], name: str) -> Any:
    """``<name>``: one sort key of a list (``field`` of ``sort``, ``direction``)."""
    cls = type(name, (), {"__annotations__": {"field": sort, "direction": SortDirection}})
    cls.direction = SortDirection.ASC  # type: ignore[attr-defined]
    doc = "one sort key of a list (sortBy: several, the first first)"
    return strawberry.input(description=doc)(cls)
