"""Cursor pagination: opaque cursors, a maximum page size, a page model."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from domain.errors import InvalidInput
from graph.cypher import Statement

T = TypeVar("T")
DEFAULT_PAGE = 20


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


def decode_cursor(cursor: str) -> int:
    try:
        kind, _, value = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        offset = int(value)
    except (ValueError, UnicodeDecodeError) as e:
        raise InvalidInput(
            "无效的分页游标：请使用上一页返回的 endCursor (invalid cursor)", field="after"
        ) from e
    if kind != "o" or offset < 0:
        raise InvalidInput("无效的分页游标 (invalid cursor)", field="after")
    return offset


def window(first: int | None, after: str | None, max_page: int) -> Window:
    """The rows to fetch: one more than asked, to know whether a next page exists."""
    size = DEFAULT_PAGE if first is None else first
    if size < 0:
        raise InvalidInput("first 不能为负数 (first must be >= 0)", field="first")
    if size > max_page:
        raise InvalidInput(
            f"每页最多 {max_page} 条，请把 first 改为 {max_page} 以内并分页 "
            f"(first must be at most {max_page})",
            field="first",
        )
    skip = decode_cursor(after) + 1 if after else 0
    return Window(skip=skip, limit=size + 1)


def page(rows: list[T], win: Window, total: int | None) -> Page[T]:
    return Page(
        items=rows[: win.limit - 1], skip=win.skip, has_next=len(rows) >= win.limit, total=total
    )


async def fetch_page(
    ctx: Any,
    *,
    lists: dict[str, Statement],
    count: Statement,
    sort_keys: tuple[str, ...],
    sort: str,
    descending: bool,
    params: dict[str, Any],
    first: int | None,
    after: str | None,
    with_total: bool,
    build: Callable[[dict[str, Any]], T],
) -> Page[T]:
    """One page of a filtered, sorted list (and its total when asked for).

    The statements filter by the caller's read scope themselves (``$roots``, ``$units``,
    ``$personalRoots``, ``$personalUnits`` from ``resolvers.reader``), so pages and
    totals count only what the caller reads; each object then passes the reader too
    (free text masked, and a second guard on the scope).
    """
    if sort not in sort_keys:
        raise InvalidInput(f"不能按 {sort} 排序；可选：{', '.join(sort_keys)}", field="sort")
    win = window(first, after, ctx.max_page_size)
    stmt = lists["DESC" if descending else "ASC"]
    text = params.get("text")
    digits = isinstance(text, str) and any(ch.isdigit() for ch in text)
    params = {**params, **await ctx.read.params(), "textDigits": digits}
    rows = await ctx.store.run(stmt, **params, sort=sort, skip=win.skip, limit=win.limit)
    total = None
    if with_total:
        if rows and len(rows) < win.limit:
            # the page holds the last row: the total is known without a second round trip
            total = win.skip + len(rows)
        else:
            total = (await ctx.store.run(count, **params))[0]["total"]
    items = [await ctx.read.admit(build(row)) for row in rows]
    return page([item for item in items if item is not None], win, total)
