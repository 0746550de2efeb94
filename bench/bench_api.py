"""The API against hand-written Cypher, over the demo counties.

    .venv/bin/python -m bench.bench_api [--seconds 5] [--concurrency 8]

Starts ``gongjian serve --demo`` on a fresh embedded database (a real process,
real HTTP), then for each representative query measures p50, p99 and requests
per second with ``--concurrency`` clients, the database round trips per request
(from /metrics), and the same figures for one hand-written Cypher statement
fetching the same data straight from the database socket. Client and server
share the machine's cores: read the ratios, not the absolute figures.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import httpx
from falkordb.asyncio import FalkorDB

from tests.http_server import free_port

QUERIES: dict[str, tuple[str, str]] = {
    "county hierarchy, 4 levels": (
        """{ counties { name code streets { name code communities { name code
             compounds { name buildings { name } } } } } }""",
        """MATCH (k:County) OPTIONAL MATCH (k)<-[:PART_OF]-(s:Street)
           OPTIONAL MATCH (s)<-[:PART_OF]-(c:Community)
           OPTIONAL MATCH (c)<-[:PART_OF]-(cp:Compound)
           OPTIONAL MATCH (cp)<-[:PART_OF]-(b:Building)
           RETURN k.name, k.code, s.name, s.code, c.name, c.code, cp.name, b.name""",
    ),
    "a street's open demands": (
        """{ demands(filter: {scope: "510522001000", statuses: [OPEN]}, first: 100) {
             totalCount nodes { title urgency matterClass community { name } } } }""",
        """MATCH (d:Demand)-[:FOR]->(c:Community)
           WHERE c.code STARTS WITH '510522001' AND d.status = 'OPEN'
           RETURN d.title, d.urgency, d.matterClass, c.name ORDER BY d.collectedOn DESC LIMIT 100""",
    ),
    "a community profile (4+N, coverage)": (
        """{ division(code: "510522001006") { ... on Community { name
             profile { complete missing firstSecretary { kind } communitySecretary { kind }
               liaisonUnits { lead unit { name } } }
             buildingCoverage { buildings complete gaps { missing } } } } }""",
        """MATCH (c:Community {code: '510522001006'})
           OPTIONAL MATCH (p:Person)-[:HOLDS]->(r:Role)-[:AT]->(c)
           OPTIONAL MATCH (u:Unit)-[l:LIAISES_WITH]->(c)
           OPTIONAL MATCH (b:Building)-[:PART_OF]->(:Compound)-[:PART_OF]->(c)
           OPTIONAL MATCH (:Person)-[:HOLDS]->(br:Role)-[:AT]->(b)
           RETURN c.name, collect(DISTINCT r.kind), collect(DISTINCT [u.name, l.lead]),
                  b.name, collect(DISTINCT br.kind)""",
    ),
}


SECRET = "bench-secret-0123456789-0123456789-0123"


def token() -> str:
    from access.principal import AccessRole
    from access.tokens import JwtKeys, issue_jwt
    from app.settings import Settings
    from domain.clock import now_ms

    keys = JwtKeys.from_settings(Settings(jwt_secret=SECRET), env={})
    return issue_jwt(
        keys, role=AccessRole.VIEWER, scope="510522000000", subject="bench",
        expires_at=now_ms() + 3_600_000,
    ).token  # fmt: skip


async def measure(
    call: Callable[[], Awaitable[None]], seconds: float, concurrency: int
) -> tuple[float, float, float]:
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds

    async def worker() -> None:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            await call()
            latencies.append(time.perf_counter() - started)

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - began
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return statistics.median(latencies) * 1000, p99 * 1000, len(latencies) / elapsed


def trips(metrics: str) -> tuple[float, float]:
    total = re.search(r"^gongjian_request_round_trips_sum\{\} (\S+)$", metrics, re.M)
    count = re.search(r"^gongjian_request_round_trips_count\{\} (\S+)$", metrics, re.M)
    return (float(total.group(1)) if total else 0.0, float(count.group(1)) if count else 0.0)


@contextlib.asynccontextmanager
async def demo_server(
    http_timeout: float = 30,
) -> AsyncIterator[tuple[str, Path, httpx.AsyncClient]]:
    """``gongjian serve --demo`` on a fresh embedded database (a real process, real HTTP),
    rate limits off: its URL, data folder and a client with a viewer's token, once healthy."""
    data = Path(tempfile.mkdtemp())
    port = free_port()
    env = {**os.environ, "GONGJIAN_DB": f"embedded:{data}", "GONGJIAN_LOG_LEVEL": "WARNING"}
    env.update({"GONGJIAN_RATE_LIMIT_PER_MINUTE": "100000000", "GONGJIAN_JWT_SECRET": SECRET})
    server = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--demo", "--port", str(port)], env=env
    )
    url = f"http://127.0.0.1:{port}"
    headers = {"authorization": f"Bearer {token()}"}
    try:
        async with httpx.AsyncClient(timeout=http_timeout, headers=headers) as client:
            for _ in range(600):
                try:
                    if (await client.get(f"{url}/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
            yield url, data, client
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)


async def run(seconds: float, concurrency: int, extra: dict[str, tuple[str, str]]) -> None:
    async with demo_server() as (url, data, client):
        db = FalkorDB(unix_socket_path=str(data / "falkordb.sock"))
        graph = db.select_graph("gongjian")
        print(f"{'query':44} {'p50 ms':>8} {'p99 ms':>8} {'req/s':>8} {'trips':>6}")
        for name, (gql, cypher) in {**QUERIES, **extra}.items():

            async def api_call(q: str = gql) -> None:
                response = await client.post(f"{url}/graphql", json={"query": q})
                assert response.status_code == 200 and "errors" not in response.json(), (
                    response.text
                )

            async def raw_call(q: str = cypher) -> None:
                await graph.ro_query(q)

            await api_call()
            before = trips((await client.get(f"{url}/metrics")).text)
            await api_call()
            after = trips((await client.get(f"{url}/metrics")).text)
            per_request = (after[0] - before[0]) / max(after[1] - before[1], 1)
            api = await measure(api_call, seconds, concurrency)
            raw = await measure(raw_call, seconds, concurrency)
            print(f"{name:44} {api[0]:8.2f} {api[1]:8.2f} {api[2]:8.0f} {per_request:6.0f}  API")
            print(f"{'':44} {raw[0]:8.2f} {raw[1]:8.2f} {raw[2]:8.0f} {1:6d}  raw Cypher")
            print(
                f"{'':44} {api[0] / raw[0]:8.1f}x {api[1] / raw[1]:7.1f}x {api[2] / raw[2]:8.2f}  API / raw"
            )
        await db.aclose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    asyncio.run(run(args.seconds, args.concurrency, {}))
