"""app.heap: the objects alive after start-up are frozen, so full collections skip them."""

from __future__ import annotations

import asyncio
import gc

from app.heap import settle, settled


def test_settle_freezes_what_survived_start_up() -> None:
    survivor = [object() for _ in range(1000)]
    try:
        assert settle() >= len(survivor)
        assert gc.get_freeze_count() >= len(survivor)
    finally:
        gc.unfreeze()


def test_settled_runs_the_start_up_first() -> None:
    ran: list[object] = []

    async def startup(store: object) -> None:
        ran.append(store)
        assert gc.get_freeze_count() == 0

    try:
        asyncio.run(settled(startup)(None))  # type: ignore[arg-type]
        assert ran == [None]
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
