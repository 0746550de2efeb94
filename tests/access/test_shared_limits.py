"""The rate limit shared by every API process (a counter in Redis), the client address
behind trusted proxies, and two real API processes on one embedded database server."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import os
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from redis.asyncio import Redis

from access.limits import RateLimiter, SharedRateLimiter
from access.middleware import client_address
from app.http import rate_limiter
from app.settings import Settings
from graph.backends.embedded import EmbeddedServer
from graph.backends.falkordb import FalkorBackend
from graph.store import Store, open_store
from tests.conftest import JWT_SECRET, bearer, graph_name
from tests.http_server import free_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
async def redis(falkordb_server: EmbeddedServer) -> AsyncIterator[Redis]:
    """The embedded database's own Redis, where the shared counters live (FalkorDB-only:
    with Neo4j the counters go to GONGJIAN_REDIS_URL)."""
    backend = FalkorBackend(graph=graph_name(), unix_socket=str(falkordb_server.socket_path))
    async with Store(backend) as store:
        assert isinstance(store.backend, FalkorBackend)
        client = store.backend.redis()
        assert client is not None
        yield client


async def test_limiters_on_one_redis_share_one_count(redis: Redis) -> None:
    await _share_one_count(redis)


async def _share_one_count(client: Redis) -> None:
    first, second = (SharedRateLimiter(5, lambda: client) for _ in range(2))
    key = f"token:tok_{uuid.uuid4().hex[:24]}"
    waits = [await (first if i % 2 else second).hit(key) for i in range(5)]
    assert waits == [0.0] * 5
    refused = await first.hit(key)
    assert 0 < refused <= 60
    assert await second.hit(key) > 0  # the other process sees the same count
    assert await second.hit(f"ip:{uuid.uuid4().hex}") == 0.0  # every key its own count
    # each process alone would have allowed 5 more: the per-process buckets are untouched
    assert first.fallback.take(key) == 0.0


async def test_the_window_slides_with_the_server_clock(redis: Redis) -> None:
    client = redis
    limiter = SharedRateLimiter(2, lambda: client, window_seconds=1)
    key = f"ip:{uuid.uuid4().hex}"
    assert [await limiter.hit(key), await limiter.hit(key)] == [0.0, 0.0]
    wait = await limiter.hit(key)
    assert 0 < wait <= 1.0
    await asyncio.sleep(2.1)  # two windows later nothing is left of the earlier count
    assert await limiter.hit(key) == 0.0
    # the counters expire: nothing stays behind in the database for an idle caller
    keys = [k async for k in client.scan_iter(match=f"gongjian:rate:{key}:*")]
    ttls = [await client.ttl(k) for k in keys]
    assert keys and all(0 < ttl <= 2 for ttl in ttls)


async def test_without_redis_each_process_counts_and_says_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    dead = Redis(unix_socket_path=str(tmp_path / "nothing.sock"))
    limiter = SharedRateLimiter(2, lambda: dead)
    with caplog.at_level(logging.WARNING, logger="access.limits"):
        waits = [await limiter.hit("ip:198.51.100.1") for _ in range(3)]
    assert waits[:2] == [0.0, 0.0] and waits[2] > 0  # the fallback still limits
    warnings = [r for r in caplog.records if "counting in this process" in r.getMessage()]
    assert len(warnings) == 1  # once, not once per request
    await dead.aclose()
    none = SharedRateLimiter(1, lambda: None)  # the store is not started yet
    assert await none.hit("k") == 0.0 and await none.hit("k") > 0


async def test_which_limiter_each_backend_gets(falkordb_server: EmbeddedServer) -> None:
    socket = str(falkordb_server.socket_path)
    embedded = open_store(f"falkordb+unix://{socket}", graph="limits")
    limiter, opened = rate_limiter(Settings(rate_limit_per_minute=3), embedded)
    assert isinstance(limiter, SharedRateLimiter) and opened is None
    # Neo4j: shared only through GONGJIAN_REDIS_URL (here the test server, by its socket)
    neo4j = open_store("neo4j://neo4j:pw@127.0.0.1:1", graph="limits")
    alone, opened = rate_limiter(Settings(rate_limit_per_minute=3), neo4j)
    assert isinstance(alone, RateLimiter) and opened is None
    settings = Settings(rate_limit_per_minute=3, redis_url=f"unix://{socket}")
    shared, opened = rate_limiter(settings, neo4j)
    assert isinstance(shared, SharedRateLimiter) and opened is not None
    key = f"token:{uuid.uuid4().hex}"
    assert [await shared.hit(key) for _ in range(4)][3] > 0
    assert await opened.exists(f"gongjian:rate:{key}:*") == 0  # windows are suffixed
    assert [k async for k in opened.scan_iter(match=f"gongjian:rate:{key}:*")]
    await opened.aclose()
    await neo4j.close()


def scope(peer: str, forwarded: str | None = None) -> dict[str, object]:
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded is not None else []
    return {"client": (peer, 40000), "headers": headers}


def test_forwarded_addresses_count_only_from_trusted_proxies() -> None:
    proxies = [ipaddress.ip_network("10.0.0.0/24"), ipaddress.ip_network("::1/128")]
    # no trusted proxy configured: the header is anyone's to forge
    assert client_address(scope("10.0.0.5", "203.0.113.9")) == "10.0.0.5"
    # from a trusted proxy: the right-most address that is not a proxy
    assert client_address(scope("10.0.0.5", "203.0.113.9"), proxies) == "203.0.113.9"
    assert client_address(scope("10.0.0.5", "1.2.3.4, 203.0.113.9, 10.0.0.7"), proxies) == (
        "203.0.113.9"
    )  # the left-most entries are the caller's to write: not believed
    assert client_address(scope("::1", "2001:db8::1"), proxies) == "2001:db8::1"
    # from anyone else the header is ignored
    assert client_address(scope("198.51.100.4", "203.0.113.9"), proxies) == "198.51.100.4"
    # garbage in the chain: the proxy's own address, not a made-up key
    assert client_address(scope("10.0.0.5", "203.0.113.9, not-an-ip"), proxies) == "10.0.0.5"
    assert client_address(scope("10.0.0.5", ""), proxies) == "10.0.0.5"
    assert client_address(scope("10.0.0.5"), proxies) == "10.0.0.5"
    assert client_address({"headers": []}, proxies) == "unknown"


def serve_on(socket: str, graph: str, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {
        **os.environ,
        "GONGJIAN_DB": f"falkordb+unix://{socket}",
        "GONGJIAN_GRAPH": graph,
        "GONGJIAN_JWT_SECRET": JWT_SECRET,
        "GONGJIAN_RATE_LIMIT_PER_MINUTE": "8",
        "GONGJIAN_LOG_LEVEL": "WARNING",
    }
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--port", str(port)],
            env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT,
        )  # fmt: skip
    return process, f"http://127.0.0.1:{port}"


@pytest.mark.slow
def test_two_api_processes_share_one_limit(falkordb_server: EmbeddedServer, tmp_path: Path) -> None:
    graph = f"limits_{uuid.uuid4().hex[:8]}"
    socket = str(falkordb_server.socket_path)
    servers = [serve_on(socket, graph, tmp_path / f"api{i}.log") for i in range(2)]
    try:
        for i, (process, url) in enumerate(servers):
            deadline = time.monotonic() + 60
            while True:
                assert process.poll() is None, (tmp_path / f"api{i}.log").read_text()
                try:
                    if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, "the API did not start"
                time.sleep(0.2)
        auth = {"authorization": f"Bearer {bearer()}"}
        query = {"query": "{ counties { code } }"}
        statuses = []
        for i in range(12):  # alternate between the two processes
            url = servers[i % 2][1]
            statuses.append(httpx.post(f"{url}/graphql", json=query, headers=auth).status_code)
        assert statuses[:8] == [200] * 8, statuses
        assert statuses[8:] == [429] * 4, statuses  # per process, 8 each would have passed
        refused = httpx.post(f"{servers[0][1]}/graphql", json=query, headers=auth)
        assert int(refused.headers["retry-after"]) >= 1
        assert refused.json()["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"
        # another caller is not held back by the first one's count
        other = {"authorization": f"Bearer {bearer('VIEWER')}"}
        assert httpx.post(f"{servers[1][1]}/graphql", json=query, headers=other).status_code == 200
    finally:
        for process, _ in servers:
            process.terminate()
            process.wait(30)
    for i in range(2):
        assert "per API process" not in (tmp_path / f"api{i}.log").read_text()
