"""The HTTP application: GraphQL, GraphiQL (offline), /healthz, /metrics."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from app import graphiql
from app.graphql_view import GraphQLView
from app.metrics import Metrics
from app.settings import Settings
from domain.errors import GongjianError
from graph.store import Store, open_store
from schema.build import build_schema

log = logging.getLogger(__name__)

#: run once the store is up, before the first request (e.g. loading the demo)
Startup = Callable[[Store], Awaitable[None]]


def create_app(
    settings: Settings,
    *,
    store: Store | None = None,
    on_startup: Startup | None = None,
) -> Starlette:
    """The ASGI app. Pass ``store`` to share one the caller starts and stops."""
    owned = store is None
    the_store = store if store is not None else open_store(settings.db, graph=settings.graph)
    metrics = Metrics()
    view = GraphQLView(schema=build_schema(), store=the_store, settings=settings, metrics=metrics)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if owned:
            await the_store.start()
            created = await the_store.migrate()
            if created:
                log.info("created %d indexes and constraints", len(created))
        if on_startup is not None:
            await on_startup(the_store)
        try:
            yield
        finally:
            if owned:
                await the_store.close()

    async def healthz(request: Request) -> Response:
        try:
            facts: dict[str, Any] = await the_store.ping()
        except GongjianError as e:
            return JSONResponse({"status": "down", "code": e.code, "error": e.message}, 503)
        return JSONResponse({"status": "ok", **facts})

    async def metrics_endpoint(request: Request) -> Response:
        return PlainTextResponse(
            metrics.render(the_store.stats), media_type="text/plain; version=0.0.4"
        )

    app = Starlette(
        routes=[
            Route("/graphql", view, methods=["GET", "POST"]),
            Route("/healthz", healthz),
            Route("/metrics", metrics_endpoint),
            Mount("/static", StaticFiles(directory=graphiql.STATIC), name="static"),
        ],
        lifespan=lifespan,
    )
    app.state.store = the_store
    app.state.metrics = metrics
    return app
