"""A load killed halfway and run again ends with the same graph as one clean run."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from graph.store import Store
from loaders import Progress, load_paths
from tests.loaders.conftest import DEMO, ROSTERS, snapshot


class Killed(Exception):
    pass


def killer(after: int) -> Callable[[Progress], None]:
    """A progress callback that stops the load after ``after`` written batches."""
    seen = [0]

    def progress(event: Progress) -> None:
        if event.phase == "write":
            seen[0] += 1
            if seen[0] == after:
                raise Killed

    return progress


# 13 batches in all: the last kill comes before the allocation of resources
@pytest.mark.parametrize("after", [1, 4, 9, 13])
async def test_killed_then_rerun_equals_clean(store: Store, other_store: Store, after: int) -> None:
    with pytest.raises(Killed):
        await load_paths(store, [ROSTERS], batch_size=2, progress=killer(after))
    rerun = await load_paths(store, [ROSTERS], batch_size=2)
    clean = await load_paths(other_store, [ROSTERS], batch_size=2)
    assert await snapshot(store) == await snapshot(other_store)
    assert rerun.errors == clean.errors
    # rows written before the kill are unchanged the second time
    assert sum(k.unchanged for k in rerun.kinds) > 0


@pytest.mark.slow
async def test_killed_demo_then_rerun_equals_clean(store: Store, other_store: Store) -> None:
    with pytest.raises(Killed):
        await load_paths(store, [DEMO / "hejiang"], batch_size=25, progress=killer(9))
    await load_paths(store, [DEMO / "hejiang"])
    await load_paths(other_store, [DEMO / "hejiang"])
    assert await snapshot(store) == await snapshot(other_store)
