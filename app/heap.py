"""The API process's heap, settled after start-up so that full garbage collections stay short.

Every request leaves reference cycles (execution contexts, futures, tracebacks), a heavy
document thousands of them, so under load CPython runs a full (generation 2) collection
every few seconds; each walks every object the process holds (the schema, the models,
every imported module) and stops every request meanwhile: measured 390-560 ms per
collection with four heavy clients on two busy cores (bench.bench_isolation), the light
query's p99. ``settle()`` collects once after start-up and freezes what is left
(``gc.freeze``: the permanent generation is never scanned again), so a full collection
walks only what was made since.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Awaitable, Callable

from graph.store import Store

log = logging.getLogger(__name__)


def settle() -> int:
    """Collect, then freeze the objects that survived start-up; how many were frozen."""
    gc.collect()
    gc.freeze()
    frozen = gc.get_freeze_count()
    log.info("heap settled: %d objects frozen after start-up", frozen)
    return frozen


def settled(
    startup: Callable[[Store], Awaitable[None]] | None,
) -> Callable[[Store], Awaitable[None]]:
    """``startup`` (e.g. loading the demo), then ``settle()``."""

    async def run(store: Store) -> None:
        if startup is not None:
            await startup(store)
        settle()

    return run
