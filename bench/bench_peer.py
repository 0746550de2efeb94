"""gongjian against @neo4j/graphql on the same Neo4j, the same questions, the same answers.

    .venv/bin/python -m bench.bench_peer --neo4j bolt://127.0.0.1:7687 --wipe [--requests 200]

Loads the demo counties into the Neo4j (``--wipe`` first empties it; without it the database
must be empty), starts ``gongjian serve`` on it and the peer (tools/neo4j-graphql-peer: the
same labels and relationships as @neo4j/graphql type definitions, served by graphql-http),
checks that each pair of documents below returns the same names and ids, then measures
p50, p99 and requests per second of each server at 1 and at 8 concurrent clients, and the
ratio gongjian / peer. Without ``--neo4j`` (or NEO4J_URI) it starts
tools/neo4j-server/target/neo4j-server.jar. Client, servers and Neo4j share the machine's
cores: read the ratios, not the absolute figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tests.http_server import free_port

ROOT = Path(__file__).resolve().parents[1]
PEER = ROOT / "tools" / "neo4j-graphql-peer" / "server.mjs"
NEO4J_JAR = ROOT / "tools" / "neo4j-server" / "target" / "neo4j-server.jar"
SECRET = "bench-secret-0123456789-0123456789-0123"
COUNTY, STREET, COMMUNITY = "510522000000", "510522001000", "510522001006"


def _hierarchy(county: dict[str, Any]) -> set[tuple[Any, ...]]:
    """Every path county/street/community/compound (a community without compounds too)."""
    paths: set[tuple[Any, ...]] = set()
    for s in county["streets"]:
        for c in s["communities"]:
            paths.add((county["code"], s["code"], c["code"], c["name"], None))
            paths.update((county["code"], s["code"], c["code"], c["name"], cp["name"]) for cp in c["compounds"])  # fmt: skip
    return paths


def _community(name: str, links: list[tuple[bool, dict[str, Any]]]) -> set[tuple[Any, ...]]:
    rows: set[tuple[Any, ...]] = {(name, None, None, None, None)}
    for lead, unit in links:
        rows.add((name, unit["id"], unit["name"], lead, None))
        rows.update((name, unit["id"], unit["name"], lead, r["id"]) for r in unit["resources"])
    return rows


@dataclass(frozen=True)
class Question:
    """One question asked of both servers, and how to read each answer as a set."""

    name: str
    gongjian: str
    peer: str
    read_gongjian: Callable[[dict[str, Any]], set[tuple[Any, ...]]]
    read_peer: Callable[[dict[str, Any]], set[tuple[Any, ...]]]


# Each pair side by side: gongjian's document, then @neo4j/graphql's for the same data.
QUESTIONS = (
    Question(
        "county hierarchy, 4 levels",
        f"""{{ division(code: "{COUNTY}") {{ ... on County {{ name code
             streets {{ name code communities {{ name code compounds {{ name }} }} }} }} }} }}""",
        f"""{{ counties(where: {{code: {{eq: "{COUNTY}"}}}}) {{ name code
             streets {{ name code communities {{ name code compounds {{ name }} }} }} }} }}""",
        lambda d: _hierarchy(d["division"]),
        lambda d: _hierarchy(d["counties"][0]),
    ),
    Question(
        "a street's open demands",
        f"""{{ demands(filter: {{scope: "{STREET}", statuses: [OPEN]}}, first: 100) {{
             totalCount nodes {{ id title urgency matterClass community {{ name }} }} }} }}""",
        f"""{{ demandsConnection(first: 100, sort: [{{collectedOn: DESC}}], where: {{
               status: {{eq: "OPEN"}},
               community: {{some: {{street: {{some: {{code: {{eq: "{STREET}"}}}}}}}}}}}}) {{
             totalCount edges {{ node {{ id title urgency matterClass community {{ name }} }} }} }} }}""",
        lambda d: (
            {(d["demands"]["totalCount"], None, None, None, None)}
            | {
                (n["id"], n["title"], n["urgency"], n["matterClass"], n["community"]["name"])
                for n in d["demands"]["nodes"]
            }
        ),
        lambda d: (
            {(d["demandsConnection"]["totalCount"], None, None, None, None)}
            | {
                (n["id"], n["title"], n["urgency"], n["matterClass"], n["community"][0]["name"])
                for n in (e["node"] for e in d["demandsConnection"]["edges"])
            }
        ),
    ),
    Question(
        "a community, its units and their resources",
        f"""{{ division(code: "{COMMUNITY}") {{ ... on Community {{ name
             liaisonUnits {{ lead unit {{ id name resources(first: 100) {{ nodes {{ id name }} }}
             }} }} }} }} }}""",
        f"""{{ communities(where: {{code: {{eq: "{COMMUNITY}"}}}}) {{ name
             liaisonUnitsConnection {{ edges {{ properties {{ lead }}
               node {{ id name resources {{ id name }} }} }} }} }} }}""",
        lambda d: _community(
            d["division"]["name"],
            [
                (link["lead"], {**link["unit"], "resources": link["unit"]["resources"]["nodes"]})
                for link in d["division"]["liaisonUnits"]
            ],
        ),
        lambda d: _community(
            d["communities"][0]["name"],
            [
                (bool(e["properties"]["lead"]), e["node"])
                for e in d["communities"][0]["liaisonUnitsConnection"]["edges"]
            ],
        ),
    ),
)


def token() -> str:
    from access.principal import AccessRole
    from access.tokens import JwtKeys, issue_jwt
    from app.settings import Settings
    from domain.clock import now_ms

    keys = JwtKeys.from_settings(Settings(jwt_secret=SECRET), env={})
    return issue_jwt(
        keys, role=AccessRole.VIEWER, scope=COUNTY, subject="bench",
        expires_at=now_ms() + 3_600_000,
    ).token  # fmt: skip


@contextmanager
def process(args: list[str], env: dict[str, str], ready: str, log: Path) -> Iterator[str]:
    """A child process, until the block ends; yields the first stdout line starting with
    ``ready`` (its stdin is a pipe: the Neo4j jar and the peer stop when it closes)."""
    with log.open("ab") as err:
        child = subprocess.Popen(
            args, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err
        )
    drain: threading.Thread | None = None
    try:
        assert child.stdout is not None
        found = None
        for raw in child.stdout:
            line = raw.decode(errors="replace").strip()
            if line.startswith(ready):
                found = line.removeprefix(ready).strip()
                break
        if found is None:
            raise SystemExit(f"{args[0]} exited {child.wait()}: see {log}")
        # keep reading, so that a chatty child never blocks on a full pipe
        drain = threading.Thread(target=child.stdout.read, daemon=True)
        drain.start()
        yield found
    finally:
        child.send_signal(signal.SIGTERM)
        try:
            child.wait(30)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        finally:
            if drain is not None:
                drain.join(10)  # the child has exited: its stdout is at its end
            for pipe in (child.stdin, child.stdout):
                if pipe is not None:
                    pipe.close()


async def load_demo(uri: str, wipe: bool) -> None:
    from app.demo import is_empty, load_demo
    from graph.store import open_store

    async with open_store(uri) as store:
        if wipe:
            await store.wipe()
        elif not await is_empty(store):
            raise SystemExit(f"{uri} holds data: pass --wipe to empty it first")
        await store.migrate()
        await load_demo(store)


async def measure(
    call: Callable[[], Awaitable[None]], requests: int, concurrency: int
) -> tuple[float, float, float]:
    """p50 and p99 in ms and requests per second, over ``requests`` calls in total."""
    latencies: list[float] = []
    left = requests

    async def worker() -> None:
        nonlocal left
        while left > 0:
            left -= 1
            started = time.perf_counter()
            await call()
            latencies.append(time.perf_counter() - started)

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - began
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return statistics.median(latencies) * 1000, p99 * 1000, len(latencies) / elapsed


async def post(client: httpx.AsyncClient, url: str, query: str) -> dict[str, Any]:
    response = await client.post(url, json={"query": query})
    body = response.json()
    if response.status_code != 200 or body.get("errors"):
        raise SystemExit(f"{url} answered {response.status_code}: {response.text[:2000]}")
    return dict(body["data"])


async def compare(
    gongjian: str, peer: str, requests: int, concurrencies: tuple[int, ...]
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    limits = httpx.Limits(max_connections=max(concurrencies) * 2)
    async with (
        httpx.AsyncClient(
            timeout=60, limits=limits, headers={"authorization": f"Bearer {token()}"}
        ) as g_client,
        httpx.AsyncClient(timeout=60, limits=limits) as p_client,
    ):
        for q in QUESTIONS:
            ours = q.read_gongjian(await post(g_client, gongjian, q.gongjian))
            theirs = q.read_peer(await post(p_client, peer, q.peer))
            if ours != theirs:
                raise SystemExit(
                    f"{q.name}: the answers differ\n only gongjian: {sorted(map(str, ours - theirs))[:10]}"
                    f"\n only the peer: {sorted(map(str, theirs - ours))[:10]}"
                )
            for _ in range(min(requests, 20)):  # warm both (JIT, pools, caches)
                await post(g_client, gongjian, q.gongjian)
                await post(p_client, peer, q.peer)
            for concurrency in concurrencies:

                async def ask_gongjian(text: str = q.gongjian) -> None:
                    await post(g_client, gongjian, text)

                async def ask_peer(text: str = q.peer) -> None:
                    await post(p_client, peer, text)

                g = await measure(ask_gongjian, requests, concurrency)
                p = await measure(ask_peer, requests, concurrency)
                rows.append(
                    {"question": q.name, "clients": concurrency, "rows": len(ours),
                     "gongjian": g, "peer": p}
                )  # fmt: skip
    return rows


def report(rows: list[dict[str, Any]]) -> None:
    head = f"{'question':44} {'clients':>7} {'server':>9} {'p50 ms':>8} {'p99 ms':>8} {'req/s':>8}"
    print(head)
    for row in rows:
        g, p = row["gongjian"], row["peer"]
        label = f"{row['question']} ({row['rows']} rows)"
        print(f"{label:44} {row['clients']:7d} {'gongjian':>9} {g[0]:8.2f} {g[1]:8.2f} {g[2]:8.0f}")
        print(f"{'':44} {'':7} {'peer':>9} {p[0]:8.2f} {p[1]:8.2f} {p[2]:8.0f}")
        print(
            f"{'':44} {'':7} {'g / peer':>9} {g[0] / p[0]:7.2f}x {g[1] / p[1]:7.2f}x {g[2] / p[2]:7.2f}x"
        )


async def run(args: argparse.Namespace, uri: str) -> list[dict[str, Any]]:
    await load_demo(uri, args.wipe)
    logs = Path(args.logs)
    port = free_port()
    env = {**os.environ, "GONGJIAN_LOG_LEVEL": "WARNING", "GONGJIAN_JWT_SECRET": SECRET}
    env["GONGJIAN_RATE_LIMIT_PER_MINUTE"] = "100000000"
    serve = [sys.executable, "-m", "app.cli", "serve", "--db", uri, "--port", str(port)]
    with (
        process(serve, env, "gongjian: GraphQL at", logs / "gongjian.log"),
        process(
            ["node", str(PEER), "0"], {**os.environ, "NEO4J_URI": uri}, "PEER", logs / "peer.log"
        ) as peer,
    ):
        gongjian = f"http://127.0.0.1:{port}/graphql"
        async with httpx.AsyncClient() as client:
            for _ in range(600):  # the "GraphQL at" line comes before uvicorn listens
                try:
                    if (await client.get(f"http://127.0.0.1:{port}/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
        return await compare(gongjian, peer, args.requests, tuple(args.clients))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--neo4j", default=os.environ.get("NEO4J_URI"), help="bolt:// or neo4j:// URL"
    )
    parser.add_argument(
        "--wipe", action="store_true", help="empty the Neo4j before loading the demo"
    )
    parser.add_argument("--requests", type=int, default=200, help="per question, server and level")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--logs", default="reports/bench_peer", help="servers' stderr goes here")
    args = parser.parse_args(argv)
    Path(args.logs).mkdir(parents=True, exist_ok=True)
    if args.neo4j:
        rows = asyncio.run(run(args, args.neo4j))
    else:
        if not NEO4J_JAR.is_file():
            raise SystemExit(f"no --neo4j and no {NEO4J_JAR}: build it or pass a Neo4j URL")
        jar = ["java", "-jar", str(NEO4J_JAR)]
        with process(jar, dict(os.environ), "BOLT", Path(args.logs) / "neo4j.log") as uri:
            args.wipe = True  # a fresh, private server
            rows = asyncio.run(run(args, uri))
    report(rows)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
