"""The loaders' Cypher runs (tests/graph/test_cypher_registry.py lints and plans all of it)."""

from __future__ import annotations

from pathlib import Path

from graph.cypher import REGISTRY
from graph.queries import loading
from graph.store import Store
from loaders import load_paths
from tests.loaders.conftest import DEMO, ROSTERS

LINT = Path(__file__).resolve().parents[2] / "tools" / "cypher-lint"
MINE = ("loading.", "places.link_parent.")


def _statements() -> list[dict[str, object]]:
    return [
        {"name": s.name, "text": s.text, "parameters": sorted(s.parameters)}
        for s in REGISTRY.values()
        if s.name.startswith(MINE)
    ]


async def test_the_loaders_run_their_statements(store: Store) -> None:
    """Loading the fixtures and the demo runs the reference, default and sync statements."""
    await load_paths(store, [ROSTERS])
    await load_paths(store, [DEMO / "hejiang"])
    await load_paths(store, [ROSTERS])  # again: the links rows own are read and diffed
    wanted = {
        loading.COUNTIES, loading.DECLARED_COMMUNITIES, loading.UNITS, loading.RESOURCES_BY_NAME,
        loading.EXISTING_DEMANDS, loading.DEMAND_DEFAULTS, loading.RESOURCE_DEFAULTS,
        loading.ROLES_AT_BUILDINGS, loading.ALLOCATE, *loading.LINKS_OF.values(),
        *loading.LINK.values(),
    }  # fmt: skip
    missing = sorted(s.name for s in wanted if s.name not in store.seen)
    assert missing == []
