"""The HTTP application: GraphQL, GraphiQL (offline), /healthz, /metrics."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from access.limits import RateLimiter, settings_extensions
from access.middleware import (
    AccessMiddleware,
    BodyLimitMiddleware,
    RequestTimeoutMiddleware,
)
from access.tokens import Authenticator, JwtKeys
from app import graphiql, workbench
from app.graphql_view import GraphQLView
from app.metrics import Metrics
from app.settings import Settings
from domain.errors import GongjianError
from graph.store import Store, open_store
from schema.build import build_schema

log = logging.getLogger(__name__)


def is_graphiql_page(scope: Any) -> bool:
    """The GraphiQL page itself holds no data: a browser may load it without a token."""
    if scope.get("method") != "GET" or scope.get("path") != "/graphql":
        return False
    if b"query=" in scope.get("query_string", b""):
        return False
    accept = dict(scope.get("headers", [])).get(b"accept", b"")
    return b"text/html" in accept


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
    the_store = (
        store
        if store is not None
        else open_store(settings.db, graph=settings.graph, timeout_ms=settings.query_timeout_ms)
    )
    metrics = Metrics()
    schema = build_schema(extensions=settings_extensions(settings))
    view = GraphQLView(schema=schema, store=the_store, settings=settings, metrics=metrics)
    authenticator = Authenticator(the_store, JwtKeys.from_settings(settings))

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
            *workbench.routes(),
        ],
        lifespan=lifespan,
        middleware=[
            Middleware(
                RequestTimeoutMiddleware, timeout_seconds=settings.request_timeout_ms / 1000
            ),
            Middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes),
            Middleware(
                AccessMiddleware,
                authenticator=authenticator,
                limiter=RateLimiter(settings.rate_limit_per_minute),
                public_read=settings.public_read,
                public_paths=("/healthz", "/static/"),
                public_request=lambda s: is_graphiql_page(s) or workbench.is_page(s),
            ),
        ],
    )
    app.state.store = the_store
    app.state.metrics = metrics
    return app
