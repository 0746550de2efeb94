"""Categories inferred at load time, refined after the load.

A roster's demand without a usable 需求类别 (and resource without a usable 资源类别:
the same, name for title) is loaded with the classifier's lexical
decision (``matching.classify.Classifier.provisional_many``: no embedding, a fraction
of a millisecond a text), stored with ``categoryInferredBy: 'LEXICAL'`` when the
classifier would have embedded it. ``refine`` then embeds those demands in batches
and stores what ``matching.classify`` ships for them (``'STACKED'``): the same
decision a load that waited for the embeddings would have stored.

A category a person settled meanwhile (``confirmDemandCategory``, ``updateDemand``,
a roster that gives it) has ``categoryInferred`` false and is never rewritten: the
write tests the same condition as the read, demand by demand. The work is
restartable: whatever is still ``LEXICAL`` (a server stopped half-way) is picked up by
the next ``refine``, at the server's next start or by ``gongjian refine``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass

from domain.clock import now_ms
from domain.errors import GongjianError
from graph.queries import refine as q
from graph.store import Store
from matching import classify

log = logging.getLogger(__name__)

#: demands embedded per batch (one embedding call, one write)
BATCH = 64

#: (refined so far, pending when the refinement started)
RefineProgress = Callable[[int, int], None]


@dataclass(frozen=True)
class Refined:
    """What one refinement did."""

    #: demands given the stacked decision
    refined: int
    #: of them, those whose category changed
    changed: int
    seconds: float


async def pending(store: Store) -> int:
    """How many demands and resources still hold a lexical decision."""
    total = 0
    for label in q.TITLES:
        rows = await store.run(q.COUNT[label])
        total += int(rows[0]["total"]) if rows else 0
    return total


async def refine(
    store: Store,
    *,
    batch: int = BATCH,
    progress: RefineProgress | None = None,
    classifier: classify.Classifier | None = None,
) -> Refined:
    """Give every demand and resource still holding a lexical decision the stacked one."""
    started = time.perf_counter()
    total = await pending(store)
    refined = changed = 0
    if total:
        classifier = classifier or classify.default_classifier()
    for label in q.TITLES if total else ():
        after = ""
        while True:
            rows = await store.run(q.PENDING[label], after=after, limit=batch)
            if not rows:
                break
            after = str(rows[-1]["id"])
            assert classifier is not None
            pairs = [(str(r["title"]), str(r["description"])) for r in rows]
            guesses = await asyncio.to_thread(classifier.classify_many, pairs)
            by_id = {str(r["id"]): g for r, g in zip(rows, guesses, strict=True)}
            written = await store.run(
                q.WRITE[label],
                rows=[
                    {"id": k, "category": g.category.value, "confidence": g.confidence}
                    for k, g in by_id.items()
                ],
                now=now_ms(),
            )
            refined += int(written[0]["written"]) if written else 0
            changed += sum(
                1 for r in rows if by_id[str(r["id"])].category.value != r.get("category")
            )
            if progress:
                progress(refined, total)
    return Refined(refined, changed, time.perf_counter() - started)


class Refiner:
    """The refinement of one store, in the background of a server: one at a time; a
    load that ends while one runs makes it go round once more."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.task: asyncio.Task[None] | None = None
        self.again = False

    def kick(self) -> asyncio.Task[None]:
        if self.task is not None and not self.task.done():
            self.again = True
            return self.task
        self.again = False
        self.task = asyncio.get_running_loop().create_task(self._run(), name="refine-categories")
        return self.task

    async def _run(self) -> None:
        while True:
            self.again = False
            try:
                done = await refine(self.store)
            except GongjianError as e:  # the next start (or a next load) picks them up
                log.warning("category refinement stopped: [%s] %s", e.code, e.message)
                return
            except Exception as e:  # noqa: BLE001 - a background task: logged, not lost
                # the type only: a message could quote a demand's text
                log.error("category refinement failed: %s", type(e).__name__)
                return
            if done.refined:
                log.info(
                    "refined %d inferred categories (%d changed) in %.1f s",
                    done.refined, done.changed, done.seconds,
                )  # fmt: skip
            if not self.again:
                return

    async def stop(self) -> None:
        if self.task is not None and not self.task.done():
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task


_refiners: weakref.WeakKeyDictionary[Store, Refiner] = weakref.WeakKeyDictionary()


def refine_in_background(store: Store) -> asyncio.Task[None]:
    """Start (or extend) the background refinement of ``store``; the task is returned
    for whoever wants to wait for it."""
    refiner = _refiners.get(store)
    if refiner is None:
        refiner = _refiners[store] = Refiner(store)
    return refiner.kick()


async def stop_refinement(store: Store) -> None:
    """Stop the background refinement of ``store`` (what is left waits for a next start)."""
    refiner = _refiners.pop(store, None)
    if refiner is not None:
        await refiner.stop()
