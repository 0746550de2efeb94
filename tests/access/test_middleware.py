"""The ASGI edge over real HTTP (uvicorn): authentication, rate limit, body size, deadline."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import strawberry
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from strawberry.asgi import GraphQL

from access import token_store
from access.limits import RateLimiter
from access.middleware import (
    AccessMiddleware,
    BodyLimitMiddleware,
    RequestTimeoutMiddleware,
    principal_of,
)
from access.principal import AccessRole
from access.tokens import Authenticator, JwtKeys
from graph.store import Store, open_store
from tests.access.conftest import GUIYUANLIN, SECRET
from tests.conftest import store_url
from tests.http_server import serve


@strawberry.type
class Query:
    @strawberry.field
    def hello(self, name: str = "") -> str:
        return f"你好 {len(name)}"


def make_app(db: str, graph: str, **options: Any) -> Starlette:
    """A tiny app behind the three middlewares, with its own store on the test's graph."""
    store = open_store(db, graph=graph)
    authenticator = Authenticator(store, JwtKeys(secret=SECRET), cache_seconds=0)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await store.start()
        yield
        await store.close()

    async def healthz(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def whoami(request: Request) -> JSONResponse:
        return JSONResponse({"who": principal_of(request).describe()})

    async def echo(request: Request) -> JSONResponse:
        return JSONResponse({"bytes": len(await request.body())})

    async def slow(request: Request) -> JSONResponse:
        await asyncio.sleep(5)
        return JSONResponse({"late": True})

    return Starlette(
        routes=[
            Route("/healthz", healthz),
            Route("/whoami", whoami),
            Route("/echo", echo, methods=["POST"]),
            Route("/slow", slow),
            Route("/graphql", GraphQL(strawberry.Schema(query=Query)), methods=["GET", "POST"]),
        ],
        middleware=[
            Middleware(RequestTimeoutMiddleware, timeout_seconds=options.get("timeout", 5.0)),
            Middleware(BodyLimitMiddleware, max_bytes=options.get("max_bytes", 1024)),
            Middleware(
                AccessMiddleware,
                authenticator=authenticator,
                limiter=RateLimiter(per_minute=options.get("per_minute", 600)),
                public_read=options.get("public_read", False),
            ),
        ],
        lifespan=lifespan,
    )


@contextlib.contextmanager
def running(store: Store, **options: Any) -> Iterator[str]:
    with serve(make_app(*store_url(store), **options)) as url:
        yield url


async def _token(store: Store, subject: str = "李四") -> str:
    issued = await token_store.create_api_token(
        store,
        role=AccessRole.COMMUNITY_ADMIN,
        scope=GUIYUANLIN,
        subject=subject,
        expires_at=None,
    )
    return issued.token


def _error(response: httpx.Response) -> dict[str, Any]:
    assert response.headers["content-type"].startswith("application/json")
    [error] = response.json()["errors"]
    return dict(error)


async def test_authentication(store: Store) -> None:
    token = await _token(store)
    with running(store) as url:
        async with httpx.AsyncClient(base_url=url) as client:
            assert (await client.get("/healthz")).status_code == 200
            anonymous = await client.get("/whoami")
            assert anonymous.status_code == 401
            assert anonymous.headers["www-authenticate"] == "Bearer"
            assert _error(anonymous)["extensions"]["code"] == "UNAUTHENTICATED"
            ok = await client.get("/whoami", headers={"Authorization": f"Bearer {token}"})
            assert ok.json() == {"who": f"COMMUNITY_ADMIN@{GUIYUANLIN}"}
            bad = await client.get("/whoami", headers={"Authorization": f"Bearer {token}x"})
            assert bad.status_code == 401 and "API 令牌" in _error(bad)["message"]
            assert 'error="invalid_token"' in bad.headers["www-authenticate"]
            basic = await client.get("/whoami", headers={"Authorization": "Basic eDp5"})
            assert basic.status_code == 401 and "Bearer" in _error(basic)["message"]


async def test_public_read_lets_anonymous_callers_in(store: Store) -> None:
    with running(store, public_read=True) as url:
        async with httpx.AsyncClient(base_url=url) as client:
            assert (await client.get("/whoami")).json() == {"who": "ANONYMOUS"}


async def test_rate_limit_per_token(store: Store) -> None:
    first, second = await _token(store, "甲"), await _token(store, "乙")
    with running(store, per_minute=3) as url:
        async with httpx.AsyncClient(base_url=url) as client:
            headers = {"Authorization": f"Bearer {first}"}
            codes = [(await client.get("/whoami", headers=headers)).status_code for _ in range(4)]
            assert codes == [200, 200, 200, 429]
            refused = await client.get("/whoami", headers=headers)
            assert int(refused.headers["retry-after"]) >= 1
            error = _error(refused)
            assert error["extensions"] == {"code": "LIMIT_EXCEEDED", "limit": "rate"}
            assert "每分钟最多 3 次" in error["message"]
            other = await client.get("/whoami", headers={"Authorization": f"Bearer {second}"})
            assert other.status_code == 200


async def test_failed_logins_spend_the_ip_bucket(store: Store) -> None:
    with running(store, per_minute=2, public_read=True) as url:
        async with httpx.AsyncClient(base_url=url) as client:
            for _ in range(2):
                bad = await client.get(
                    "/whoami", headers={"Authorization": "Bearer gj_" + "a" * 43}
                )
                assert bad.status_code == 401
            assert (await client.get("/whoami")).status_code == 429


async def test_body_limit(store: Store) -> None:
    token = await _token(store)
    headers = {"Authorization": f"Bearer {token}"}

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(10):
            yield b"x" * 200

    with running(store, max_bytes=1024) as url:
        async with httpx.AsyncClient(base_url=url, headers=headers) as client:
            assert (await client.post("/echo", content=b"x" * 1024)).json() == {"bytes": 1024}
            declared = await client.post("/echo", content=b"x" * 1025)
            assert declared.status_code == 413
            error = _error(declared)
            assert error["extensions"] == {
                "code": "LIMIT_EXCEEDED",
                "limit": "body",
                "maximum": 1024,
            }
            assert "GONGJIAN_MAX_BODY_BYTES" in error["message"]
            streamed = await client.post("/echo", content=chunks())
            assert streamed.status_code == 413
            # strawberry reads the body itself: the refusal still wins
            query = '{ hello(name: "' + "x" * 2000 + '") }'
            graphql = await client.post(
                "/graphql",
                content=_chunked(query.encode()),
                headers={"content-type": "application/json"},
            )
            assert graphql.status_code == 413
            small = await client.post("/graphql", json={"query": '{ hello(name: "ab") }'})
            assert small.json() == {"data": {"hello": "你好 2"}}


async def _chunked(data: bytes) -> AsyncIterator[bytes]:
    for start in range(0, len(data), 256):
        yield data[start : start + 256]


async def test_request_deadline(store: Store) -> None:
    token = await _token(store)
    with running(store, timeout=0.3) as url:
        async with httpx.AsyncClient(base_url=url) as client:
            late = await client.get("/slow", headers={"Authorization": f"Bearer {token}"})
            assert late.status_code == 503
            assert _error(late)["extensions"] == {"code": "TIMEOUT", "limit": "time"}
            ok = await client.get("/healthz")
            assert ok.status_code == 200


def test_principal_of_fails_closed() -> None:
    assert principal_of({"type": "http"}).anonymous
    assert principal_of({"state": {"principal": "COUNTY_ADMIN"}}).anonymous


def test_public_paths() -> None:
    middleware = AccessMiddleware(
        lambda *a: None,  # type: ignore[arg-type]
        authenticator=None,  # type: ignore[arg-type]
        public_paths=("/healthz", "/static/"),
    )
    assert middleware._public("/healthz") and middleware._public("/static/graphiql.js")
    assert not middleware._public("/healthz/x") and not middleware._public("/graphql")
