"""One heavy request must not delay the others: a light query's latency alone and
while heavy (in-budget) requests run.

    .venv/bin/python -m bench.bench_isolation [--seconds 10] [--heavy 4]

Starts ``gongjian serve --demo`` on a fresh embedded database (a real process, real
HTTP), measures the light query with one client alone, then again while ``--heavy``
clients send the heavy query back to back, and prints light p50/p99 in both runs,
their ratio, and the goal (p99 under load under 3x the idle p99). Client and server
share the machine's cores: read the ratio, not the absolute figures.

The heavy clients run in a process of their own (``--same-process``: in the light
client's event loop, as before), so what the light client waits for is the server,
not its own loop decoding the heavy responses.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
from collections.abc import Mapping
from multiprocessing.synchronize import Event as ProcessEvent

import httpx

from bench.bench_api import demo_server, measure

LIGHT = '{ division(code: "510522001006") { ... on Community { name code } } }'
#: in budget (about 180 000 of 250 000): the whole division tree down to the buildings
HEAVY = """{ counties { name code streets { name code communities { name code
  grids { name } compounds { name buildings { name } } } } } }"""
GOAL = 3.0


async def heavy_load(client: httpx.AsyncClient, url: str, stop: asyncio.Event) -> int:
    sent = 0
    while not stop.is_set():
        response = await client.post(f"{url}/graphql", json={"query": HEAVY})
        assert response.status_code == 200 and "errors" not in response.json(), response.text
        sent += 1
    return sent


async def heavy_clients(
    url: str, headers: Mapping[str, str], heavy: int, stop: ProcessEvent
) -> int:
    """``heavy`` clients back to back until ``stop`` is set; how many heavy requests were sent."""
    done = asyncio.Event()
    async with httpx.AsyncClient(timeout=60, headers=dict(headers)) as client:
        loads = [asyncio.create_task(heavy_load(client, url, done)) for _ in range(heavy)]
        await asyncio.to_thread(stop.wait)
        done.set()
        return sum(await asyncio.gather(*loads))


def heavy_process(
    url: str,
    headers: dict[str, str],
    heavy: int,
    stop: ProcessEvent,
    sent: multiprocessing.Queue[int],
) -> None:
    sent.put(asyncio.run(heavy_clients(url, headers, heavy, stop)))


async def run(seconds: float, heavy: int, same_process: bool = False) -> float:
    async with demo_server(http_timeout=60) as (url, _data, client):
        headers = client.headers

        async def light() -> None:
            response = await client.post(f"{url}/graphql", json={"query": LIGHT})
            assert response.status_code == 200 and "errors" not in response.json()

        heavy_body = await client.post(f"{url}/graphql", json={"query": HEAVY})
        cost = heavy_body.json()["extensions"]["cost"]
        print(f"heavy query: cost {cost}, {len(heavy_body.content)} bytes")
        await measure(light, 1, 1)  # warm up
        idle = await measure(light, seconds, 1)
        if same_process:
            stop = asyncio.Event()
            async with httpx.AsyncClient(timeout=60, headers=headers) as heavy_client:
                loads = [
                    asyncio.create_task(heavy_load(heavy_client, url, stop)) for _ in range(heavy)
                ]
                await asyncio.sleep(0.5)
                loaded = await measure(light, seconds, 1)
                stop.set()
                sent = sum(await asyncio.gather(*loads))
        else:
            spawn = multiprocessing.get_context("spawn")
            halt, counts = spawn.Event(), spawn.Queue()
            args = (url, dict(headers), heavy, halt, counts)
            loader = spawn.Process(target=heavy_process, args=args)
            loader.start()
            await asyncio.sleep(1.5)  # the process starts and its clients are sending
            loaded = await measure(light, seconds, 1)
            halt.set()
            sent = await asyncio.to_thread(counts.get, True, 120)
            loader.join(30)
        print(f"{'light query':28} {'p50 ms':>8} {'p99 ms':>8} {'req/s':>8}")
        print(f"{'alone':28} {idle[0]:8.2f} {idle[1]:8.2f} {idle[2]:8.0f}")
        print(
            f"{f'with {heavy} heavy ({sent} sent)':28} {loaded[0]:8.2f} {loaded[1]:8.2f} {loaded[2]:8.0f}"
        )
        ratio = loaded[1] / idle[1]
        print(
            f"{'loaded / alone':28} {loaded[0] / idle[0]:7.1f}x {ratio:7.1f}x"
            f"   goal: p99 ratio <= {GOAL:g}x: {'met' if ratio <= GOAL else 'NOT met'}"
        )
        return ratio


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--heavy", type=int, default=4)
    parser.add_argument(
        "--same-process", action="store_true", help="heavy clients in the light client's loop"
    )
    args = parser.parse_args()
    asyncio.run(run(args.seconds, args.heavy, args.same_process))
