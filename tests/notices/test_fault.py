"""The webhook fault test: a real receiver on loopback and real `gongjian serve`
processes, each killed (SIGKILL) and restarted mid-run; every notice still arrives,
at least once, signed, and a notice that arrives twice carries the same key."""

from __future__ import annotations

import asyncio
import contextlib
import json
import subprocess
import time
from collections import defaultdict
from pathlib import Path

from graph.queries import notices as q
from graph.store import Store
from tests.app.serving import Served, start, stop, wait_ready
from tests.conftest import JWT_SECRET, store_url
from tests.http_server import free_port
from tests.notices.hooks import SECRET, Receiver, check_signed
from tests.notices.places import UNIT_A1, UNIT_B, notify


def serve_api(store: Store, logs: Path, receiver: Receiver) -> Served:
    db, graph = store_url(store)
    hooks = [{"name": "gateway", "url": f"{receiver.url}/gateway", "secret": SECRET}]
    env = {
        "GONGJIAN_DB": db,
        "GONGJIAN_GRAPH": graph,
        "GONGJIAN_JWT_SECRET": JWT_SECRET,
        "GONGJIAN_LOG_LEVEL": "WARNING",
        "GONGJIAN_WEBHOOKS": json.dumps(hooks),
        "GONGJIAN_NOTICE_POLL_MS": "50",
        "GONGJIAN_WEBHOOK_RETRY_BASE_MS": "50",
        "GONGJIAN_WEBHOOK_RETRY_MAX_MS": "400",
        "GONGJIAN_WEBHOOK_LEASE_MS": "1500",
        "GONGJIAN_WEBHOOK_TIMEOUT_MS": "1000",
    }
    process, stdout, stderr, port = start(logs, env=env)
    served = Served(f"http://127.0.0.1:{port}", process, stdout, stderr)
    wait_ready(served)
    return served


def kill(served: Served) -> None:
    served.process.kill()
    served.process.wait()


async def wait_delivered(rx: Receiver, ids: list[str], within: float = 60) -> None:
    deadline = time.monotonic() + within
    while not set(ids) <= set(rx.accepted("/gateway")):
        missing = len(set(ids) - set(rx.accepted("/gateway")))
        assert time.monotonic() < deadline, f"{missing} of {len(ids)} notices never arrived"
        await asyncio.sleep(0.1)


async def batch(store: Store, start_at: int, count: int = 8) -> list[str]:
    return [
        await notify(store, UNIT_A1 if n % 2 else UNIT_B, n)
        for n in range(start_at, start_at + count)
    ]


async def test_nothing_is_lost_when_receiver_and_api_are_killed(
    store: Store, tmp_path: Path
) -> None:
    rx = Receiver(free_port(), tmp_path / "received.jsonl")
    logs = tmp_path / "logs"
    servers: list[Served] = []
    try:
        rx.start()
        servers.append(serve_api(store, logs, rx))
        ids = await batch(store, 0)
        await wait_delivered(rx, ids)

        rx.kill()  # the gateway goes down: posts fail and are retried
        ids += await batch(store, 100)
        await asyncio.sleep(1.0)
        kill(servers[-1])  # and the API dies while retrying
        ids += await batch(store, 200)  # written while nothing delivers

        rx.start()
        servers.append(serve_api(store, logs, rx))
        ids += await batch(store, 300, 20)
        await asyncio.sleep(0.15)
        kill(servers[-1])  # killed mid-delivery: leases held, posts sent but not marked
        servers.append(serve_api(store, logs, rx))
        await wait_delivered(rx, ids)
        await asyncio.sleep(0.5)
    finally:
        for served in servers:
            with contextlib.suppress(subprocess.TimeoutExpired):
                stop(served.process)
        rx.kill()
    records = [r for r in rx.records() if r["path"] == "/gateway"]
    check_signed(records)
    bodies: dict[str, set[str]] = defaultdict(set)
    for record in records:
        bodies[record["key"]].add(record["body"])
    assert set(bodies) == set(ids)
    assert all(len(found) == 1 for found in bodies.values()), "a resend differed"
    rows = await store.run(q.DELIVERIES, ids=ids)
    assert {r["delivery"]["noticeId"] for r in rows} == set(ids)
    assert {r["delivery"]["state"] for r in rows} == {q.DELIVERED}
    duplicates = sum(count - 1 for count in rx.accepted("/gateway").values())
    retried = sum(1 for r in rows if r["delivery"]["attempts"] > 1)
    print(f"\nfault test: {len(ids)} notices, {len(records)} posts, {duplicates} duplicates, "
          f"{retried} delivered after a retry")  # fmt: skip
    assert retried >= 8  # the batch written while the receiver was down
