"""A graphql-transport-ws client over a real WebSocket (the ``websockets`` package)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.client import ClientConnection, connect

SUBSCRIBE = """
subscription($kinds: [String!], $after: Int) {
  notices(kinds: $kinds, after: $after) {
    id kind at seq demandId unitId county street community payload
  }
}
"""


def ws_url(api: str) -> str:
    return api.replace("http://", "ws://", 1) + "/graphql"


@dataclass
class Subscription:
    """One subscription's received notices, each with the monotonic time it arrived."""

    ws: ClientConnection
    received: list[dict[str, Any]] = field(default_factory=list)
    arrived: list[float] = field(default_factory=list)
    errors: list[Any] = field(default_factory=list)
    _task: asyncio.Task[None] | None = None

    async def _read(self) -> None:
        async for raw in self.ws:
            message = json.loads(raw)
            if message["type"] == "next":
                payload = message["payload"]
                if payload.get("errors"):
                    self.errors.append(payload["errors"])
                else:
                    self.received.append(payload["data"]["notices"])
                    self.arrived.append(time.monotonic())
            elif message["type"] == "error":
                self.errors.append(message["payload"])
            elif message["type"] == "ping":
                await self.ws.send(json.dumps({"type": "pong"}))

    async def wait_for(self, count: int, within: float = 10) -> list[dict[str, Any]]:
        deadline = time.monotonic() + within
        while len(self.received) < count and not self.errors:
            if time.monotonic() > deadline:
                raise AssertionError(f"received {len(self.received)} of {count} notices")
            await asyncio.sleep(0.01)
        assert not self.errors, self.errors
        return self.received

    def seqs(self) -> list[int]:
        return [n["seq"] for n in self.received]


async def handshake(api: str, token: str | None) -> ClientConnection:
    """Connect and send ``connection_init``; the socket after the ack (or the refusal)."""
    ws = await connect(ws_url(api), subprotocols=["graphql-transport-ws"])  # type: ignore[list-item]
    payload = {"Authorization": f"Bearer {token}"} if token is not None else {}
    await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
    ack = json.loads(await asyncio.wait_for(ws.recv(), 5))
    assert ack["type"] == "connection_ack", ack
    return ws


@contextlib.asynccontextmanager
async def subscribe(
    api: str, token: str, *, kinds: list[str] | None = None, after: int | None = None
) -> AsyncIterator[Subscription]:
    """A live ``notices`` subscription until the block ends; started once the server
    has registered it (a short settle, since the protocol acknowledges no subscribe)."""
    ws = await handshake(api, token)
    variables: dict[str, Any] = {"kinds": kinds, "after": after}
    await ws.send(
        json.dumps(
            {
                "id": "1",
                "type": "subscribe",
                "payload": {"query": SUBSCRIBE, "variables": variables},
            }
        )
    )
    sub = Subscription(ws)
    sub._task = asyncio.create_task(sub._read())
    await asyncio.sleep(0.3)
    try:
        yield sub
    finally:
        sub._task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await sub._task
        await ws.close()
