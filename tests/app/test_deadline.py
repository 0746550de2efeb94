"""The request deadline reaches the database: each statement runs with at most the time
left (the database stops it), and a late request answers TIMEOUT at once."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from access.middleware import RequestTimeoutMiddleware
from domain.errors import GongjianError, RequestTimeout
from graph.cypher import Statement
from graph.deadline import start_deadline
from graph.store import Store, open_store
from tests.conftest import store_url
from tests.http_server import serve

#: a statement that takes tens of seconds on either backend (81 million rows, streamed)
SLOW = Statement(
    "test.slow",
    "UNWIND range(1, 9000) AS a UNWIND range(1, 9000) AS b "
    "WITH a, b WHERE (a * b) % 7919 = 1 RETURN count(*) AS c",
)
FAST = Statement("test.fast", "RETURN 1 AS one")


async def test_a_statement_gets_only_the_time_left(store: Store) -> None:
    async def late() -> None:
        start_deadline(0.5)
        await store.run(SLOW)

    started = time.monotonic()
    with pytest.raises(GongjianError):
        # no asyncio timeout here: the database itself stops the statement (a task of
        # its own: the deadline stays in that task's context)
        await asyncio.create_task(late())
    assert time.monotonic() - started < 5
    assert (await store.run(FAST))[0]["one"] == 1


async def test_no_statement_is_sent_past_the_deadline(store: Store) -> None:
    async def late() -> None:
        start_deadline(0.01)
        await asyncio.sleep(0.05)
        await store.run(FAST)

    with pytest.raises(RequestTimeout) as refused:
        await asyncio.create_task(late())
    assert refused.value.code == "TIMEOUT"
    assert "GONGJIAN_REQUEST_TIMEOUT_MS" in refused.value.message


def slow_app(db: str, graph: str, timeout: float) -> Starlette:
    """The slow statement behind the deadline middleware, in a DataLoader-like task."""
    own = open_store(db, graph=graph)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await own.start()
        yield
        await own.close()

    async def slow(request: Request) -> JSONResponse:
        # a batch task of its own, as DataLoaders run theirs: the deadline cancels it too
        task = asyncio.ensure_future(own.run(SLOW))
        app.state.task = task
        rows = await asyncio.shield(task)
        return JSONResponse({"rows": len(rows)})

    app = Starlette(
        routes=[Route("/slow", slow)],
        middleware=[Middleware(RequestTimeoutMiddleware, timeout_seconds=timeout)],
        lifespan=lifespan,
    )
    return app


async def test_a_late_request_answers_timeout_and_its_statements_are_cancelled(
    store: Store,
) -> None:
    app = slow_app(*store_url(store), timeout=0.5)
    with serve(app) as url:
        async with httpx.AsyncClient(base_url=url, timeout=30) as client:
            started = time.monotonic()
            late = await client.get("/slow")
            took = time.monotonic() - started
    assert late.status_code == 503
    error = late.json()["errors"][0]
    assert error["extensions"]["code"] == "TIMEOUT"
    assert "GONGJIAN_REQUEST_TIMEOUT_MS" in error["message"]
    assert took < 3
    task = app.state.task
    assert task.done()
    assert task.cancelled() or task.exception() is not None
