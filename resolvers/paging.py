"""Cursor pagination: opaque cursors, a maximum page size, a page model."""

from __future__ import annotations

import base64
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from domain.errors import InvalidInput
from graph.cypher import Statement
from graph.queries.where import SORT_SLOTS
from resolvers.inputs import validate
from resolvers.where import Composable

T = TypeVar("T")
M = TypeVar("M")
F = TypeVar("F", bound=Composable)
DEFAULT_PAGE = 20


class NestedLoad(Protocol[M]):
    """A nested connection's page: (ctx, parent key, filter values, first, after)."""

    def __call__(
        self, ctx: Any, key: str, data: dict[str, Any], first: int | None, after: str | None
    ) -> Awaitable[Page[M]]: ...


@dataclass(frozen=True)
class Window:
    skip: int
    limit: int


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    skip: int
    has_next: bool
    total: int | None

    def cursor(self, index: int) -> str:
        return encode_cursor(self.skip + index)


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o:{offset}".encode()).decode()


def decode_cursor(cursor: str, field: str = "after") -> int:
    try:
        kind, _, value = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        offset = int(value)
    except (ValueError, UnicodeDecodeError) as e:
        raise InvalidInput(
            f"无效的分页游标：请使用上一页返回的 {'startCursor' if field == 'before' else 'endCursor'}"
            " (invalid cursor)",
            field=field,
        ) from e
    if kind != "o" or offset < 0:
        raise InvalidInput("无效的分页游标 (invalid cursor)", field=field)
    return offset


def page_size(size: int | None, max_page: int, field: str = "first") -> int:
    size = DEFAULT_PAGE if size is None else size
    if size < 0:
        raise InvalidInput(f"{field} 不能为负数 ({field} must be >= 0)", field=field)
    if size > max_page:
        raise InvalidInput(
            f"每页最多 {max_page} 条，请把 {field} 改为 {max_page} 以内并分页 "
            f"({field} must be at most {max_page})",
            field=field,
        )
    return size


def window(first: int | None, after: str | None, max_page: int) -> Window:
    """The rows to fetch: one more than asked, to know whether a next page exists."""
    size = page_size(first, max_page)
    skip = decode_cursor(after) + 1 if after else 0
    return Window(skip=skip, limit=size + 1)


def page(rows: list[T], win: Window, total: int | None) -> Page[T]:
    return Page(
        items=rows[: win.limit - 1], skip=win.skip, has_next=len(rows) >= win.limit, total=total
    )


def cut(found: list[T], win: Window) -> Page[T]:
    """The window of a list read whole (a relation, per request): its total is the
    list's length."""
    return page(found[win.skip : win.skip + win.limit], win, len(found))


@dataclass(frozen=True)
class Paging:
    """A connection's paging arguments: forwards (first/after) or backwards (last/before)."""

    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None

    @property
    def backwards(self) -> bool:
        return self.last is not None or self.before is not None


def sort_slots(sort_keys: tuple[str, ...], sorts: list[tuple[str, bool]]) -> dict[str, str | bool]:
    """The sort parameters of a list statement (``graph.queries.where.order_by``): the
    keys asked for, then the id (in the first key's direction) in every slot left."""
    if not sorts:
        raise InvalidInput("请至少给出一个排序字段 (give at least one sort key)", field="sortBy")
    if len(sorts) > SORT_SLOTS - 1:
        raise InvalidInput(
            f"最多按 {SORT_SLOTS - 1} 个字段排序 (at most {SORT_SLOTS - 1} sort keys)",
            field="sortBy",
        )
    for key, _ in sorts:
        if key not in sort_keys:
            raise InvalidInput(f"不能按 {key} 排序；可选：{', '.join(sort_keys)}", field="sort")
    filled = [*sorts, *[("id", sorts[0][1])] * (SORT_SLOTS - len(sorts))]
    params: dict[str, str | bool] = {}
    for i, (key, descending) in enumerate(filled, start=1):
        params[f"sort{i}"], params[f"desc{i}"] = key, descending
    return params


async def _read_params(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    """A list statement's parameters: the filter's, the caller's read scope, and whether
    the text filter holds digits (``graph.queries.scope.personal_text``)."""
    text = params.get("text")
    digits = isinstance(text, str) and any(ch.isdigit() for ch in text)
    return {"anyOf": None, **params, **await ctx.read.params(), "textDigits": digits}


async def fetch_page(
    ctx: Any,
    *,
    lists: Statement,
    count: Statement,
    sort_keys: tuple[str, ...],
    sort: str,
    descending: bool,
    params: dict[str, Any],
    first: int | None,
    after: str | None,
    with_total: bool,
    build: Callable[[dict[str, Any]], T],
    sorts: list[tuple[str, bool]] | None = None,
    last: int | None = None,
    before: str | None = None,
    lean: tuple[Statement, Statement] | None = None,
) -> Page[T]:
    """One page of a filtered, sorted list (and its total when asked for).

    ``lean``: (list, count) statements that skip what only a caller with units
    (``$units``, ``$personalUnits``) or an ``$overdue`` test needs, used when neither
    applies (its objects' units are left empty: they decide nothing for that caller).

    ``sorts`` (key, descending) pairs, when given, replace ``sort`` and ``descending``.
    ``last``/``before`` page backwards: the rows just before the ``before`` cursor (the
    end of the list without it, which takes the total first).

    The statements filter by the caller's read scope themselves (``$roots``, ``$units``,
    ``$personalRoots``, ``$personalUnits`` from ``resolvers.reader``), so pages and
    totals count only what the caller reads; each object then passes the reader too
    (free text masked, and a second guard on the scope).
    """
    order = sort_slots(sort_keys, sorts or [(sort, descending)])
    paging = Paging(first, after, last, before)
    if paging.backwards and (first is not None or after is not None):
        raise InvalidInput(
            "请只用 first/after 向后翻页，或只用 last/before 向前翻页 "
            "(page forwards with first/after or backwards with last/before, not both)",
            field="last",
        )
    params = await _read_params(ctx, params)
    unitless = not params["units"] and not params["personalUnits"]
    if lean is not None and unitless and params.get("overdue") is None:
        lists, count = lean
    total = None
    if paging.backwards:
        size = page_size(last, ctx.max_page_size, "last")
        if before:
            end = decode_cursor(before, "before")
        else:
            total = (await ctx.store.run(count, **params))[0]["total"]
            end = total
        skip = max(0, end - size)
        # one row past the page's end tells whether a next page exists
        win = Window(skip=skip, limit=end - skip + 1)
    else:
        win = window(first, after, ctx.max_page_size)
    rows = await ctx.store.run(lists, **params, **order, skip=win.skip, limit=win.limit)
    if with_total and total is None:
        if rows and len(rows) < win.limit:
            # the page holds the last row: the total is known without a second round trip
            total = win.skip + len(rows)
        else:
            total = (await ctx.store.run(count, **params))[0]["total"]
    items = await ctx.read.admit_all([build(row) for row in rows])
    return page([item for item in items if item is not None], win, total)


async def fetch_nested(
    ctx: Any,
    stmt: Statement,
    key: str,
    *,
    sort_keys: tuple[str, ...],
    sorts: list[tuple[str, bool]],
    params: dict[str, Any],
    first: int | None,
    after: str | None,
    build: Callable[[dict[str, Any]], T],
) -> Page[T]:
    """One page of a parent's filtered list (a nested connection, its total included).

    The statement (``graph.queries.where.pages_of``) pages every parent of the level at
    once: parents asking for the same filter and window share one round trip
    (``resolvers.batch.Loaders.pages``). Read scope, masking, cursors and the maximum
    page size are those of ``fetch_page``.
    """
    order = sort_slots(sort_keys, sorts)
    params = {**await _read_params(ctx, params), **order}
    win = window(first, after, ctx.max_page_size)
    loader = ctx.loaders.pages(stmt, build, params, win.skip, win.limit)
    items, has_next, total = await loader.load(key)
    return Page(items=items, skip=win.skip, has_next=has_next, total=total)


@dataclass(frozen=True)
class Listing(Generic[F, M]):
    """A type's filtered, sorted lists declared once: the top-level one (``search``:
    ``lists`` and ``count``) and a parent's (``nested``: a ``pages_of`` statement), with
    the same filter, parameters and rows."""

    filter: type[F]
    lists: Statement
    count: Statement
    sort_keys: tuple[str, ...]
    params: Callable[[F], dict[str, Any]]
    build: Callable[[dict[str, Any]], M]
    #: keeps what else a top-level list's row holds for the request (``(ctx, row)``)
    prime: Callable[[Any, dict[str, Any]], None] | None = None
    #: (list, count) for a caller without units and no overdue test (``fetch_page``)
    lean: tuple[Statement, Statement] | None = None

    async def search(
        self,
        ctx: Any,
        data: dict[str, Any],
        first: int | None,
        after: str | None,
        with_total: bool,
        *,
        last: int | None = None,
        before: str | None = None,
    ) -> Page[M]:
        f = validate(self.filter, data)
        build, prime = self.build, self.prime
        if prime is not None:

            def build(row: dict[str, Any]) -> M:
                prime(ctx, row)
                return self.build(row)

        return await fetch_page(
            ctx, lists=self.lists, count=self.count, sort_keys=self.sort_keys, sort=f.sort,
            descending=f.descending, params=self.params(f), first=first, after=after,
            with_total=with_total, build=build, sorts=f.sort_by, last=last,
            before=before, lean=self.lean,
        )  # fmt: skip

    def nested(self, stmt: Statement) -> NestedLoad[M]:
        """The nested connection of a ``pages_of`` statement: a page of a parent's list."""

        async def load(
            ctx: Any, key: str, data: dict[str, Any], first: int | None, after: str | None
        ) -> Page[M]:
            f = validate(self.filter, data)
            return await fetch_nested(
                ctx, stmt, key, sort_keys=self.sort_keys, sorts=f.sort_by or [(f.sort, f.descending)],
                params=self.params(f), first=first, after=after, build=self.build,
            )  # fmt: skip

        return load
