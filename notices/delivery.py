"""Posting notices to webhooks, at least once, with the delivery state in the graph.

Per hook, each round (``Deliverer.run_once``):

1. *queue*: the notices after the hook's cursor become ``(:Delivery)`` nodes (a
   MERGE on hook:notice, so two processes queueing at once make one);
2. *claim*: due deliveries get a lease (``leaseUntil``) for this process; one that
   another process holds is skipped, one whose holder died is claimed again once its
   lease runs out;
3. *post*: the notice as JSON, signed; a 2xx marks it delivered, anything else (or
   no answer) schedules the next attempt after an exponential, capped, jittered delay.

The state lives in the graph, so a restart or a crash loses nothing: a notice is
delivered until a receiver answers 2xx, and may arrive more than once (a crash after
the POST, before the mark). Receivers deduplicate on ``Idempotency-Key``, the
notice's id.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from domain.clock import now_ms
from graph.queries import notices as q
from graph.store import Store
from notices.model import Notice
from notices.webhooks import (
    IDEMPOTENCY_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    Webhook,
    sign,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetryPolicy:
    """Delays between attempts: ``base * 2^(n-1)``, at most ``cap``, times a jitter
    in [0.5, 1) so that receivers coming back are not hit by every sender at once.

    >>> p = RetryPolicy(base_ms=1000, cap_ms=8000)
    >>> [p.delay_ms(n, jitter=1.0) for n in (1, 2, 3, 4, 5)]
    [1000, 2000, 4000, 8000, 8000]
    """

    base_ms: int = 1_000
    cap_ms: int = 300_000

    def delay_ms(self, attempts: int, *, jitter: float | None = None) -> int:
        factor = random.uniform(0.5, 1.0) if jitter is None else jitter
        exponent = min(max(attempts - 1, 0), 40)
        return int(min(self.cap_ms, self.base_ms * 2**exponent) * factor)


def body_of(notice: Notice) -> bytes:
    """The exact bytes posted (and signed): compact UTF-8 JSON, keys sorted."""
    return json.dumps(
        notice.document(), ensure_ascii=False, separators=(",", ":"), sort_keys=True
    ).encode("utf-8")


def headers_of(hook: Webhook, notice: Notice, body: bytes, at: int) -> dict[str, str]:
    return {
        "content-type": "application/json; charset=utf-8",
        SIGNATURE_HEADER: sign(hook.secret, body),
        TIMESTAMP_HEADER: str(at),
        IDEMPOTENCY_HEADER: notice.id,
    }


class Deliverer:
    """Delivers the outbox to the configured hooks (one per process, in the worker)."""

    def __init__(
        self,
        store: Store,
        hooks: tuple[Webhook, ...],
        *,
        client: httpx.AsyncClient,
        retry: RetryPolicy = RetryPolicy(),
        lease_ms: int = 60_000,
        batch: int = 50,
        clock: Callable[[], int] = now_ms,
    ) -> None:
        self.store, self.hooks, self.client = store, hooks, client
        self.retry, self.lease_ms, self.batch, self.clock = retry, lease_ms, batch, clock
        #: names this process's leases (a restarted process is another owner)
        self.owner = f"proc_{secrets.token_hex(6)}"
        self._by_name = {hook.name: hook for hook in hooks}

    async def run_once(self) -> int:
        """One round for every hook: queue, claim, post; how many were posted (2xx)."""
        if not self.hooks:
            return 0
        await self.queue()
        now = self.clock()
        due = await self.store.run(q.DUE, now=now)
        delivered = 0
        for row in due:
            hook = self._by_name.get(str(row["hook"]))
            if hook is not None and int(row["due"]) > 0:
                delivered += await self._deliver(hook)
        return delivered

    async def queue(self) -> int:
        """Turn the notices after each hook's cursor into deliveries; how many."""
        last = int((await self.store.run(q.LAST_SEQ, sequenceId=q.SEQUENCE_ID))[0]["seq"])
        names = [hook.name for hook in self.hooks]
        cursors = {
            str(r["hook"]): int(r["seq"]) for r in await self.store.run(q.CURSORS, hooks=names)
        }
        queued = 0
        for hook in self.hooks:
            cursor = cursors.get(hook.name, 0)
            while cursor < last:
                rows = await self.store.run(
                    q.ENQUEUE, hook=hook.name, now=self.clock(), batch=self.batch * 10,
                    last=last, kinds=list(hook.kinds) if hook.kinds else None,
                    prefix=hook.prefix,
                )  # fmt: skip
                queued += int(rows[0]["queued"]) if rows else 0
                after = await self.store.run(q.CURSORS, hooks=[hook.name])
                moved = int(after[0]["seq"]) if after else cursor
                if moved <= cursor:
                    break  # nothing more to read now; the next round tries again
                cursor = moved
        return queued

    async def _deliver(self, hook: Webhook) -> int:
        now = self.clock()
        claimed = await self.store.run(
            q.CLAIM, hook=hook.name, now=now, limit=self.batch,
            leaseUntil=now + self.lease_ms, owner=self.owner,
        )  # fmt: skip
        results = await asyncio.gather(
            *(self._post(hook, str(r["id"]), int(r["attempts"]), r["notice"]) for r in claimed)
        )
        return sum(results)

    async def _post(self, hook: Webhook, delivery_id: str, attempts: int, node: Any) -> int:
        notice = Notice.from_node(node)
        body = body_of(notice)
        status: int | None = None
        error = ""
        try:
            response = await self.client.post(
                hook.url, content=body, headers=headers_of(hook, notice, body, self.clock())
            )
            status = response.status_code
        except httpx.HTTPError as e:
            error = type(e).__name__
        now = self.clock()
        if status is not None and 200 <= status < 300:
            await self.store.run(q.DELIVERED_OK, id=delivery_id, now=now, status=status)
            return 1
        next_at = now + self.retry.delay_ms(attempts + 1)
        await self.store.run(
            q.RETRY, id=delivery_id, now=now, nextAt=next_at, status=status or 0,
            error=error or f"HTTP {status}",
        )  # fmt: skip
        log.info(
            "webhook %s: notice %s not delivered (%s), attempt %d; next in %d ms",
            hook.name, notice.id, error or status, attempts + 1, next_at - now,
        )  # fmt: skip
        return 0
