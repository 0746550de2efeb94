"""Relations declared once: a GraphQL field built from (source, model, cardinality).

A relation field of a type is one declaration on the class::

    @strawberry.type
    class County(Place):
        streets = relation.many(
            "Street", places.CHILDREN[("County", "Street")], models.Street, key="parent",
            description="街道/乡镇 of this county",
        )

    @strawberry.type
    class Project(Node):
        units = relation.many(lazy.Unit, units_q.JOINED_PROJECT)
        lead_unit = relation.one(lazy.Unit, units_q.LEAD_OF_PROJECT)

- ``of``: the GraphQL type of one related object: a type of another module from
  ``schema.lazy``, or the name of one in the declaring module (read there, as a
  resolver's annotation is); the field is a list of it or it (or null). It is not the
  class annotation so that the field keeps its place among the class's resolvers
  (strawberry orders annotated fields first), and the SDL its order;
- ``source``: a statement of ``graph.queries`` shaped ``... WHERE x.id IN $ids RETURN
  x.id AS <key>, <node map> AS node`` (batched per request through ``ctx.loaders``:
  one round trip per statement and level), or an async ``(ctx, key) -> found`` of
  ``resolvers`` for a relation that does more than one statement;
- ``model``: the domain model each row's ``node`` validates as, or a row converter;
  by default the model of ``domain.models`` or ``domain.loop`` named as the GraphQL
  type (``lazy.Demand``: ``models.Demand``);
- ``on``: the attribute of the parent object that holds the key (``id`` by default;
  a None key is an empty relation);
- the read rule: every object passes the request's ``Reader`` in the loaders
  (``resolvers.batch``): out of scope it is left out, free text masked;
- ``args``: ``(found, **arguments) -> found``; its keyword parameters become the
  field's GraphQL arguments (a status filter, ``includeEnded``);
- the GraphQL object of each found model is the one ``schema.convert.register`` named
  for its type (``convert`` overrides).

A relation paged (``relation.paged``, same arguments as ``many``): ``(first:, after:)``
returning ``Connection[of]`` (``AgreementConnection``); the list is read as ``many``
reads it, batched and through the reader, and cut to the page, ``totalCount`` what the
caller reads. For a relation a parent holds a bounded number of (a unit's members, a
community's agreements), where a statement per filter would buy nothing.

A nested connection (``relation.connection``): a relation that grows with the data and
that a caller filters (``Community.demands(filter:, first:, after:)``) returns the
connection type the top-level list returns (``DemandConnection``, ``totalCount``
included), under the relation's own name (no list twin); ``load`` is a
``resolvers.paging.NestedLoad`` (a statement of ``graph.queries.where.pages_of``: one
round trip per level for every parent).

``app.cost`` bounds a ``many`` field by its ``LIST_BOUNDS`` entry (type and field name)
and a ``paged`` or ``connection`` one by its ``first``.
"""

from __future__ import annotations

import asyncio
import inspect
import sys
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, Optional, get_args, get_origin

import strawberry
from pydantic import BaseModel

from domain import loop, models
from graph.cypher import Statement
from resolvers.context import Context
from resolvers.paging import DEFAULT_PAGE, NestedLoad, cut, window
from schema.common import Connection, filter_values
from schema.common import connection as as_connection
from schema.convert import to_object

Load = Callable[[Context, Any], Awaitable[Any]]
Build = type[BaseModel] | Callable[[dict[str, Any]], Any]

_KEYWORD = inspect.Parameter.KEYWORD_ONLY
_POSITIONAL = inspect.Parameter.POSITIONAL_OR_KEYWORD
_PAGE_PARAMS = [
    inspect.Parameter("first", _KEYWORD, default=DEFAULT_PAGE, annotation=Optional[int]),  # noqa: UP045
    inspect.Parameter("after", _KEYWORD, default=None, annotation=Optional[str]),  # noqa: UP045
]


def _builder(model: Build) -> Callable[[dict[str, Any]], Any]:
    if isinstance(model, type) and issubclass(model, BaseModel):
        return lambda row: model.model_validate(row["node"])
    return model


def _loader(source: Statement | Load, model: Build | None, key: str, many: bool) -> Load:
    if not isinstance(source, Statement):
        return source
    assert model is not None, f"relation over {source.name} needs a model"
    build = _builder(model)
    if many:
        return lambda ctx, k: ctx.loaders.many(source, build, key=key).load(k)
    return lambda ctx, k: ctx.loaders.one(source, build, key=key).load(k)


def _model_named(of: Any) -> Build | None:
    """The model of ``domain.models`` or ``domain.loop`` named as the GraphQL type
    (``lazy.Demand``: ``models.Demand``), if any."""
    name = of if isinstance(of, str) else get_args(of)[0] if get_origin(of) is Annotated else of
    name = getattr(name, "__forward_arg__", getattr(name, "__name__", name))
    if not isinstance(name, str):
        return None
    found = next((getattr(m, name) for m in (models, loop) if hasattr(m, name)), None)
    return found if isinstance(found, type) and issubclass(found, BaseModel) else None


def _graphql_type(of: Any, many: bool, paged: bool, module: str) -> Any:
    """``list[of]``, ``Connection[of]`` or ``of | None``; a name (a type of the declaring
    module) as a string."""
    if paged:
        node: Any = Annotated[of, strawberry.lazy(module)] if isinstance(of, str) else of
        return Connection[node]
    if isinstance(of, str):
        return f"list[{of}]" if many else f"{of} | None"
    return list[of] if many else Optional[of]  # noqa: UP045 (of is a value)


def _field(
    graphql_type: Any,
    module: str,
    load: Load,
    *,
    many: bool,
    paged: bool,
    on: str,
    args: Callable[..., Any] | None,
    convert: Callable[[Any], Any],
    description: str | None,
) -> Any:
    def finish(found: Any, arguments: dict[str, Any]) -> Any:
        win = arguments.pop("window", None)
        if args is not None:
            found = args(found, **arguments)
        if win is not None:
            return as_connection(cut(found, win), convert)
        if many:
            return [convert(m) for m in found]
        return None if found is None else convert(found)

    async def later(pending: Awaitable[Any], arguments: dict[str, Any]) -> Any:
        return finish(await pending, arguments)

    def resolve(self: Any, info: strawberry.Info, **arguments: Any) -> Any:
        # not a coroutine function: a batched relation answers with a future chained on
        # the DataLoader's (no coroutine per field and object); graphql-core awaits it
        if paged:
            # checked before the load: a bad cursor or page size fails the field alone
            first, after = arguments.pop("first"), arguments.pop("after")
            arguments["window"] = window(first, after, info.context.max_page_size)
        key = getattr(self, on)
        if key is None:
            return finish([], arguments) if paged else [] if many else None
        pending = load(info.context, key)
        if not isinstance(pending, asyncio.Future):
            return later(pending, arguments)
        out = pending.get_loop().create_future()

        def done(f: asyncio.Future[Any]) -> None:
            if out.cancelled():
                return
            if f.cancelled():
                out.cancel()
            elif (error := f.exception()) is not None:
                out.set_exception(error)
            else:
                try:
                    out.set_result(finish(f.result(), arguments))
                except Exception as e:  # noqa: BLE001 - handed to the awaiting field
                    out.set_exception(e)

        pending.add_done_callback(done)
        return out

    params = [
        inspect.Parameter("self", _POSITIONAL),
        inspect.Parameter("info", _POSITIONAL, annotation=strawberry.Info),
    ]
    if args is not None:
        # the arguments are the filter's own parameters (annotated in the same module)
        extra = list(inspect.signature(args).parameters.values())[1:]
        params += [p.replace(kind=_KEYWORD) for p in extra]
    if paged:
        params += _PAGE_PARAMS
    # strawberry reads annotations in the resolver's module: the declaring one
    resolve.__module__ = module
    resolve.__signature__ = inspect.Signature(params, return_annotation=graphql_type)  # type: ignore[attr-defined]
    return strawberry.field(resolver=resolve, description=description)


def _declare(
    many: bool,
    paged: bool,
    of: Any,
    source: Statement | Load,
    model: Build | None = None,
    *,
    on: str = "id",
    key: str = "key",
    args: Callable[..., Any] | None = None,
    convert: Callable[[Any], Any] = to_object,
    description: str | None = None,
) -> Any:
    load = _loader(source, model or _model_named(of), key, many=many)
    # the module that declares the field (``one``/``many``/``paged`` -> here): its annotations
    module = sys._getframe(2).f_globals["__name__"]
    return _field(
        _graphql_type(of, many=many, paged=paged, module=module),
        module,
        load,
        many=many,
        paged=paged,
        on=on,
        args=args,
        convert=convert,
        description=description,
    )


def one(of: Any, source: Statement | Load, model: Build | None = None, **options: Any) -> Any:
    """A field of at most one related object (None when missing or out of scope)."""
    return _declare(False, False, of, source, model, **options)


def many(of: Any, source: Statement | Load, model: Build | None = None, **options: Any) -> Any:
    """A field of a list of related objects, in the statement's order."""
    return _declare(True, False, of, source, model, **options)


def paged(of: Any, source: Statement | Load, model: Build | None = None, **options: Any) -> Any:
    """A field of a page of related objects, ``(first:, after:)`` returning
    ``Connection[of]``: the relation as ``many`` reads it (one round trip per level for
    every parent, each object through the reader), cut to the page; ``totalCount`` is
    what the caller reads of it."""
    return _declare(True, True, of, source, model, **options)


def connection(
    of: Any,
    load: NestedLoad[Any],
    filter: Any,
    *,
    on: str = "id",
    convert: Callable[[Any], Any] = to_object,
    description: str | None = None,
) -> Any:
    """A field of a page of related objects: ``(filter:, first:, after:)`` returning
    ``Connection[of]``, the filter the same input type the top-level list takes."""

    async def resolve(
        self: Any,
        info: strawberry.Info,
        filter: Any = None,
        first: int | None = DEFAULT_PAGE,
        after: str | None = None,
    ) -> Any:
        key = getattr(self, on)
        data = filter_values(filter) if filter is not None else {}
        found = await load(info.context, key, data, first, after)
        return as_connection(found, convert)

    module = sys._getframe(1).f_globals["__name__"]
    params = [
        inspect.Parameter("self", _POSITIONAL),
        inspect.Parameter("info", _POSITIONAL, annotation=strawberry.Info),
        inspect.Parameter("filter", _KEYWORD, default=None, annotation=Optional[filter]),  # noqa: UP045
        *_PAGE_PARAMS,
    ]
    resolve.__module__ = module
    resolve.__signature__ = inspect.Signature(params, return_annotation=Connection[of])  # type: ignore[attr-defined]
    return strawberry.field(resolver=resolve, description=description)
