"""The HTTP application: GraphQL, GraphiQL (offline), /healthz, /readyz, /metrics.

/healthz (alive) and /readyz (the database answers; 503 if not) tell anonymous
callers nothing about the inside. /metrics answers the scrape token
(GONGJIAN_METRICS_TOKEN) when one is set, else loopback callers only.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
from redis.asyncio import Redis
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles

from access.limits import Limiter, RateLimiter, SharedRateLimiter, settings_extensions
from access.middleware import (
    AccessMiddleware,
    BodyLimitMiddleware,
    RequestTimeoutMiddleware,
)
from access.tokens import Authenticator, JwtKeys
from app import graphiql, workbench
from app.cost import Pages
from app.cost_limit import CostPolicy, cost_extension
from app.graphql_view import GraphQLView
from app.metrics import Metrics, metrics_allowed
from app.request_id import RequestIdMiddleware
from app.settings import Settings
from domain.errors import GongjianError
from graph.backends.falkordb import FalkorBackend
from graph.store import Store, open_store
from loaders.refine import refine_in_background, stop_refinement
from notices.delivery import Deliverer, RetryPolicy
from notices.hub import hub_for
from notices.worker import NoticeWorker, find_sweep
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


def is_graphql_socket(scope: Any) -> bool:
    """A WebSocket to /graphql authenticates in its ``connection_init`` message (browsers
    cannot set headers on a WebSocket): the view refuses it there (close code 4403)."""
    return bool(scope.get("type") == "websocket" and scope.get("path") == "/graphql")


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
    schema = build_schema(
        extensions=[
            *settings_extensions(settings),
            cost_extension(
                CostPolicy(
                    budget=settings.max_query_cost,
                    pages=Pages(maximum=settings.max_page_size),
                    heavy=settings.heavy_query_cost,
                    heavy_at_once=settings.max_heavy_requests,
                )
            ),
        ]
    )
    authenticator = Authenticator(the_store, JwtKeys.from_settings(settings))
    view = GraphQLView(
        schema=schema, store=the_store, settings=settings, metrics=metrics,
        authenticator=authenticator,
    )  # fmt: skip
    hub = hub_for(the_store, poll_ms=settings.notice_poll_ms)
    limiter, redis_client = rate_limiter(settings, the_store)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # whatever started here is stopped again if a later step of the start fails
        try:
            if owned:
                await the_store.start()
                created = await the_store.migrate()
                if created:
                    log.info("created %d indexes and constraints", len(created))
            if on_startup is not None:
                await on_startup(the_store)
            # categories a stopped server left unrefined (loaders.refine)
            refine_in_background(the_store)
            if not isinstance(limiter, SharedRateLimiter):
                log.warning(
                    "rate limits are counted per API process: set GONGJIAN_REDIS_URL to share "
                    "them between processes"
                )
        except BaseException as e:
            if isinstance(e, GongjianError):
                log.error("start-up failed: [%s] %s", e.code, e.message)
            if owned:
                await the_store.close()
            raise
        client: httpx.AsyncClient | None = None
        worker: NoticeWorker | None = None
        if settings.notice_worker:
            deliverer = None
            if settings.webhooks:
                client = httpx.AsyncClient(
                    timeout=settings.webhook_timeout_ms / 1000, follow_redirects=False
                )
                deliverer = Deliverer(
                    the_store, settings.webhooks, client=client,
                    retry=RetryPolicy(settings.webhook_retry_base_ms, settings.webhook_retry_max_ms),
                    lease_ms=settings.webhook_lease_ms,
                )  # fmt: skip
            worker = NoticeWorker(
                the_store, deliverer, find_sweep(),
                poll_ms=settings.notice_poll_ms, sweep_ms=settings.sweep_interval_ms,
            )  # fmt: skip
            worker.start()
        app.state.notice_worker = worker
        try:
            yield
        finally:
            await stop_refinement(the_store)
            if worker is not None:
                await worker.stop()
            await hub.close()
            if client is not None:
                await client.aclose()
            if redis_client is not None:
                await redis_client.aclose()
            if owned:
                await the_store.close()

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> Response:
        try:
            await the_store.ping()
        except GongjianError as e:
            log.warning("not ready: the database does not answer (%s)", e.code)
            return JSONResponse({"status": "unavailable", "code": e.code}, 503)
        return JSONResponse({"status": "ready"})

    async def metrics_endpoint(request: Request) -> Response:
        if not metrics_allowed(request.scope, settings.metrics_token):
            return JSONResponse(
                {
                    "errors": [
                        {
                            "message": "metrics: send the scrape token "
                            "(GONGJIAN_METRICS_TOKEN) or call from this host",
                            "extensions": {"code": "FORBIDDEN"},
                        }
                    ]
                },
                403,
            )
        backend = the_store.backend
        server = backend.server if isinstance(backend, FalkorBackend) else None
        return PlainTextResponse(
            metrics.render(the_store.stats, restarts=server.restarts if server else None),
            media_type="text/plain; version=0.0.4",
        )

    app = Starlette(
        routes=[
            Route("/graphql", view, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", view),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", metrics_endpoint),
            Mount("/static", StaticFiles(directory=graphiql.STATIC), name="static"),
            *workbench.routes(),
        ],
        lifespan=lifespan,
        middleware=[
            Middleware(RequestIdMiddleware),
            Middleware(
                RequestTimeoutMiddleware, timeout_seconds=settings.request_timeout_ms / 1000
            ),
            Middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes),
            Middleware(
                AccessMiddleware,
                authenticator=authenticator,
                limiter=limiter,
                public_read=settings.public_read,
                # /metrics checks its own scrape token
                public_paths=("/healthz", "/readyz", "/metrics", "/static/"),
                public_request=lambda s: (
                    is_graphiql_page(s) or workbench.is_page(s) or is_graphql_socket(s)
                ),
                trusted_proxies=settings.trusted_proxies,
            ),
        ],
    )
    app.state.store = the_store
    app.state.metrics = metrics
    app.state.limiter = limiter
    app.state.notices = hub
    return app


def rate_limiter(settings: Settings, store: Store) -> tuple[Limiter, Redis | None]:
    """The rate limiter: shared through GONGJIAN_REDIS_URL, else through the FalkorDB
    server (a Redis), else per process. Returns the Redis client it opened, if any."""
    per_minute = settings.rate_limit_per_minute
    if settings.redis_url:
        client: Redis = Redis.from_url(settings.redis_url)
        return SharedRateLimiter(per_minute, lambda: client), client
    backend = store.backend
    if isinstance(backend, FalkorBackend):
        return SharedRateLimiter(per_minute, backend.redis), None
    return RateLimiter(per_minute), None
