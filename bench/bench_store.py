"""Writing N nodes and relationships through the store, against the raw client.

    .venv/bin/python -m bench.bench_store [--rows 20000] [--repeat 3]

Both sides run on the same embedded FalkorDB in the same process, one after the
other, on fresh graphs: the store path (``graph.writes.upsert`` diffing against
what is stored, batches of 1,000, then the PART_OF links) and the raw client
sending the same rows in one ``UNWIND`` per kind. Prints rows/s and the ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from falkordb.asyncio import FalkorDB

from graph import writes
from graph.backends.embedded import EmbeddedServer
from graph.backends.falkordb import FalkorBackend
from graph.queries import places
from graph.store import Store

RAW_NODES = """
UNWIND $rows AS row
MERGE (n:Compound {id: row.id})
ON CREATE SET n.createdAt = $now
SET n += row.props, n.updatedAt = $now
"""
RAW_LINKS = """
UNWIND $rows AS row
MATCH (c:Compound {id: row.child}) MATCH (p:Community {id: row.parent})
MERGE (c)-[:PART_OF]->(p)
"""


def rows(n: int) -> tuple[list[tuple[str, dict[str, object]]], list[dict[str, str]]]:
    nodes = [(f"cmp_{i}", {"name": f"小区{i}", "old": i % 3 == 0}) for i in range(n)]
    links = [{"child": f"cmp_{i}", "parent": f"51052200{1 + i % 2}00{1 + i % 9}"} for i in range(n)]
    return nodes, links


async def communities(store: Store) -> None:
    codes = {f"51052200{s}00{c}" for s in (1, 2) for c in range(1, 10)}
    await writes.upsert(store, "Community", [(c, {"name": c, "code": c}) for c in codes])


async def through_store(socket: str, graph: str, n: int) -> float:
    nodes, links = rows(n)
    async with Store(FalkorBackend(graph=graph, unix_socket=socket)) as store:
        await store.migrate()
        await communities(store)
        started = time.perf_counter()
        await writes.upsert(store, "Compound", nodes)
        link = places.LINK_PARENT[("Compound", "Community")]
        for i in range(0, n, writes.BATCH):
            await store.run(link, rows=links[i : i + writes.BATCH])
        return time.perf_counter() - started


async def raw(socket: str, graph: str, n: int) -> float:
    nodes, links = rows(n)
    async with Store(FalkorBackend(graph=graph, unix_socket=socket)) as store:
        await store.migrate()
        await communities(store)
    db = FalkorDB(unix_socket_path=socket)
    g = db.select_graph(graph)
    started = time.perf_counter()
    await g.query(RAW_NODES, {"rows": [{"id": i, "props": p} for i, p in nodes], "now": 0})
    await g.query(RAW_LINKS, {"rows": links})
    elapsed = time.perf_counter() - started
    await db.aclose()
    return elapsed


async def main(n: int, repeat: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        server = EmbeddedServer(Path(folder))
        server.start()
        try:
            socket = str(server.socket_path)
            store_times, raw_times = [], []
            for i in range(repeat):
                raw_times.append(await raw(socket, f"raw{i}", n))
                store_times.append(await through_store(socket, f"store{i}", n))
        finally:
            server.stop()
    s, r = statistics.median(store_times), statistics.median(raw_times)
    total = 2 * n  # nodes and relationships
    print(f"rows: {n} nodes + {n} relationships, median of {repeat}")
    print(f"store (diff + batches of {writes.BATCH}): {s:.3f} s, {total / s:,.0f} rows/s")
    print(f"raw client (one UNWIND per kind):  {r:.3f} s, {total / r:,.0f} rows/s")
    print(f"ratio store/raw time: {s / r:.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(main(args.rows, args.repeat))
