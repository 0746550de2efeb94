"""The monthly assessment of a generated city on the embedded FalkorDB.

    .venv/bin/python -m bench.bench_rates [--communities 1000] [--demands 100000]

A city of 10 counties x 10 streets x 10 communities (1,000 communities), two liaison
units per community, ``--demands`` demands with timelines (graph.timelines, spread
over 12 months before now). Prints the time of one county's monthly assessment (goal
< 1 s) and the whole city's (goal < 5 s), each the median of three runs.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from domain.clock import CHINA, now_ms
from domain.rates import month_period
from graph import timelines, writes
from graph.backends.embedded import EmbeddedServer
from graph.backends.falkordb import FalkorBackend
from graph.cypher import statement
from graph.rates import Scope, assess
from graph.store import Store

CITY = "5105"
_LINK_DEMANDS = statement(
    "bench.rates.link_demands",
    "UNWIND $rows AS row MATCH (d:Demand {id: row.id}) MATCH (c:Community {id: row.community}) "
    "MERGE (d)-[:FOR]->(c)",
    write=True,
)
_LINK_UNITS = statement(
    "bench.rates.link_units",
    "UNWIND $rows AS row MATCH (u:Unit {id: row.unit}) MATCH (c:Community {id: row.community}) "
    "MERGE (u)-[:LIAISES_WITH]->(c)",
    write=True,
)


def community_codes(n: int) -> list[str]:
    return [f"{CITY}{11 + i // 100:02d}{1 + i // 10 % 10:03d}{1 + i % 10:03d}" for i in range(n)]


async def build(store: Store, communities: int, demands: int, now: int) -> dict[str, int]:
    codes = community_codes(communities)
    await writes.upsert(store, "Community", [(c, {"name": f"社区{c}", "code": c}) for c in codes])
    units = [(f"unit_b{i}", {"name": f"单位{i}"}) for i in range(communities // 5)]
    await writes.upsert(store, "Unit", units)
    links = [{"unit": f"unit_b{(i * 2 + k) % len(units)}", "community": c}
             for i, c in enumerate(codes) for k in (0, 1)]  # fmt: skip
    await store.run(_LINK_UNITS, rows=links)
    statuses = ["OPEN", "OPEN", "MATCHED", "RESOLVED", "RESOLVED", "CLOSED"]
    rows = [(f"dem_b{i}", {"title": f"需求{i}", "status": statuses[i % 6], "category": "OTHER",
             "matterClass": "PRACTICAL", "urgency": "URGENT" if i % 4 == 0 else "NORMAL"})
            for i in range(demands)]  # fmt: skip
    for start in range(0, demands, 5000):
        await writes.upsert(store, "Demand", rows[start : start + 5000])
        await store.run(_LINK_DEMANDS, rows=[
            {"id": f"dem_b{i}", "community": codes[i % communities]}
            for i in range(start, min(demands, start + 5000))
        ])  # fmt: skip
    return await timelines.generate(store, seed=1, now=now, span_days=365)


async def timed(store: Store, scope: Scope, month: str, now: int) -> float:
    times = []
    for _ in range(3):
        started = time.perf_counter()
        await assess(store, scope, month_period(month), now)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


async def main(communities: int, demands: int) -> None:
    now = now_ms()
    # the last whole month (China time)
    first = datetime.fromtimestamp(now / 1000, tz=CHINA).replace(day=1)
    month = f"{first - timedelta(days=1):%Y-%m}"
    with tempfile.TemporaryDirectory() as folder:
        server = EmbeddedServer(Path(folder))
        server.start()
        try:
            async with Store(
                FalkorBackend(graph="bench_rates", unix_socket=str(server.socket_path))
            ) as store:
                await store.migrate()
                started = time.perf_counter()
                written = await build(store, communities, demands, now)
                print(f"generated {communities} communities, {demands} demands in "
                      f"{time.perf_counter() - started:.1f} s: {written}")  # fmt: skip
                county = await timed(store, Scope(prefix=f"{CITY}11"), month, now)
                city = await timed(store, Scope(prefix=CITY), month, now)
                print(f"county {CITY}11 monthly assessment ({month}): {county:.3f} s (goal < 1 s)")
                print(f"city {CITY} monthly assessment ({month}): {city:.3f} s (goal < 5 s)")
        finally:
            server.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--communities", type=int, default=1000)
    parser.add_argument("--demands", type=int, default=100_000)
    args = parser.parse_args()
    asyncio.run(main(args.communities, args.demands))
