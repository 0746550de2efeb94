"""The notices subscription over a real WebSocket (graphql-transport-ws), on real
servers: each caller receives what its scope may see, in order, live and on resume."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Callable, Iterator

import pytest
from starlette.applications import Starlette
from websockets.exceptions import ConnectionClosed

from app.http import create_app
from graph.store import Store
from notices.hub import NoticeHub
from tests.conftest import bearer, server_settings
from tests.http_server import serve
from tests.notices.client import handshake, subscribe, ws_url
from tests.notices.places import (
    COUNTY_A,
    COUNTY_B,
    STREET_A2,
    UNIT_A1,
    UNIT_A2,
    UNIT_B,
    notify,
)


@contextlib.contextmanager
def servers(store: Store, count: int = 1) -> Iterator[list[tuple[str, Starlette]]]:
    """``count`` API servers on the graph of ``store``, each with its own store and hub."""
    with contextlib.ExitStack() as stack:
        found = []
        for _ in range(count):
            app = create_app(server_settings(store))
            found.append((stack.enter_context(serve(app)), app))
        yield found


def hub(app: Starlette) -> NoticeHub:
    found = app.state.notices
    assert isinstance(found, NoticeHub)
    return found


async def until(condition: Callable[[], bool], within: float = 5) -> None:
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        await asyncio.sleep(0.01)


def unit_token(unit: str, county: str) -> str:
    return bearer("UNIT_OPERATOR", unit, county=county)


async def test_a_unit_receives_its_notices_within_a_second_and_nothing_else(store: Store) -> None:
    with servers(store) as [(url, app)]:
        async with subscribe(url, unit_token(UNIT_A1, COUNTY_A)) as sub:
            await until(lambda: hub(app).subscribers == 1)
            latencies = []
            for n in range(5):
                await notify(store, UNIT_A2, 100 + n)  # same county, another unit
                await notify(store, UNIT_B, 200 + n)  # another county
                started = time.monotonic()
                notice_id = await notify(store, UNIT_A1, n)
                await sub.wait_for(n + 1, within=5)
                latencies.append(sub.arrived[n] - started)
                assert sub.received[n]["id"] == notice_id
            assert max(latencies) < 1.0, latencies
            await asyncio.sleep(0.5)  # nothing else arrives
            assert [n["unitId"] for n in sub.received] == [UNIT_A1] * 5
            first = sub.received[0]
            assert first["kind"] == "DISPATCHED" and first["county"] == COUNTY_A
            assert json.loads(first["payload"]) == {"n": 0, "title": "需求 0"}
            print(f"\nsubscriber latency ms: {sorted(round(x * 1000) for x in latencies)}")


async def test_admins_see_their_place_only(store: Store) -> None:
    with servers(store) as [(url, app)]:
        async with (
            subscribe(url, bearer("COUNTY_ADMIN", COUNTY_A)) as county_a,
            subscribe(url, bearer("STREET_ADMIN", STREET_A2)) as street_a2,
            subscribe(url, bearer("COUNTY_ADMIN", COUNTY_B)) as county_b,
            subscribe(url, bearer("COUNTY_ADMIN", COUNTY_A), kinds=["OVERDUE"]) as overdue,
        ):
            await until(lambda: hub(app).subscribers == 4)
            await notify(store, UNIT_A1, 1)
            await notify(store, UNIT_B, 2)
            await notify(store, UNIT_A2, 3)
            await notify(store, UNIT_A2, 4, kind="OVERDUE")
            await county_a.wait_for(3)
            await street_a2.wait_for(2)
            await county_b.wait_for(1)
            await overdue.wait_for(1)
            await asyncio.sleep(0.5)
            assert {n["county"] for n in county_a.received} == {COUNTY_A}
            assert len(county_a.received) == 3
            assert [n["street"] for n in street_a2.received] == [STREET_A2, STREET_A2]
            assert [n["county"] for n in county_b.received] == [COUNTY_B]
            assert [n["kind"] for n in overdue.received] == ["OVERDUE"]
            # one poll statement for all four subscribers: polls follow the clock, not them
            polls = hub(app).polls
            await asyncio.sleep(1.0)
            assert hub(app).polls - polls <= 7


@pytest.mark.parametrize("token", [None, "not-a-token", "gj_" + "0" * 40])
async def test_a_bad_token_is_refused_with_4403(store: Store, token: str | None) -> None:
    with servers(store) as [(url, _)]:
        from websockets.asyncio.client import connect

        async with connect(ws_url(url), subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
            payload = {"Authorization": f"Bearer {token}"} if token else {}
            await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
            with pytest.raises(ConnectionClosed) as closed:
                await asyncio.wait_for(ws.recv(), 5)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403


async def test_a_subscribe_before_the_handshake_is_refused(store: Store) -> None:
    with servers(store) as [(url, _)]:
        from websockets.asyncio.client import connect

        async with connect(ws_url(url), subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
            await ws.send(
                json.dumps(
                    {
                        "id": "1",
                        "type": "subscribe",
                        "payload": {"query": "subscription { notices { id } }"},
                    }
                )
            )
            with pytest.raises(ConnectionClosed) as closed:
                await asyncio.wait_for(ws.recv(), 5)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401


async def test_a_valid_handshake_is_acknowledged(store: Store) -> None:
    with servers(store) as [(url, _)]:
        ws = await handshake(url, bearer("COUNTY_ADMIN", COUNTY_A))
        await ws.close()


async def test_resume_with_after_loses_nothing(store: Store) -> None:
    token = unit_token(UNIT_A1, COUNTY_A)
    with servers(store) as [(url, app)]:
        async with subscribe(url, token) as sub:
            await until(lambda: hub(app).subscribers == 1)
            await notify(store, UNIT_A1, 1)
            await notify(store, UNIT_A1, 2)
            await sub.wait_for(2)
            seen = sub.seqs()[-1]
        # disconnected: these are written while nobody listens
        for n in range(3, 6):
            await notify(store, UNIT_B, 100 + n)
            await notify(store, UNIT_A1, n)
        async with subscribe(url, token, after=seen) as resumed:
            await resumed.wait_for(3)
            await until(lambda: hub(app).subscribers == 1)
            await notify(store, UNIT_A1, 6)
            await resumed.wait_for(4)
            await asyncio.sleep(0.3)
            got = [json.loads(n["payload"])["n"] for n in resumed.received]
            assert got == [3, 4, 5, 6]
            assert resumed.seqs() == sorted(resumed.seqs())
        async with subscribe(url, token, after=0) as replay:
            await replay.wait_for(6)
            assert [json.loads(n["payload"])["n"] for n in replay.received] == [1, 2, 3, 4, 5, 6]


async def test_two_servers_deliver_each_notice_once_per_subscriber(store: Store) -> None:
    token = bearer("COUNTY_ADMIN", COUNTY_A)
    with servers(store, 2) as [(url1, app1), (url2, app2)]:
        async with (
            subscribe(url1, token) as a,
            subscribe(url1, token) as b,
            subscribe(url2, token) as c,
        ):
            await until(lambda: hub(app1).subscribers == 2 and hub(app2).subscribers == 1)
            ids = [await notify(store, UNIT_A1 if n % 2 else UNIT_A2, n) for n in range(10)]
            for sub in (a, b, c):
                await sub.wait_for(10)
            await asyncio.sleep(0.6)
            for sub in (a, b, c):
                assert [n["id"] for n in sub.received] == ids
