"""Fixtures for the loader tests: the roster files, a second graph, graph snapshots."""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from app.settings import DEMO_DIR
from graph.queries import loading
from graph.store import Store
from loaders import LoadReport
from tests.conftest import fresh_store

ROSTERS = Path(__file__).resolve().parent.parent / "fixtures" / "rosters"
EXPECTED = ROSTERS / "expected"
DEMO = DEMO_DIR
#: GONGJIAN_UPDATE_EXPECTED=1 rewrites the expected files (review the diff before committing)
UPDATE = os.environ.get("GONGJIAN_UPDATE_EXPECTED") == "1"
_TIMES = ("createdAt", "updatedAt")


@pytest.fixture
async def other_store(backend: str, request: pytest.FixtureRequest) -> AsyncIterator[Store]:
    """A second fresh graph on the same backend as ``store``, to compare two ways of
    loading the same files (on Neo4j, a server of its own)."""
    async with fresh_store(backend, request, "other") as store:
        yield store


async def snapshot(store: Store, *, times: bool = False) -> dict[str, Any]:
    """The whole graph as plain data: nodes by id (label and properties), links sorted."""
    nodes = {
        row["props"]["id"]: {
            "label": row["label"],
            **{k: v for k, v in sorted(row["props"].items()) if times or k not in _TIMES},
        }
        for row in await store.run(loading.ALL_NODES)
    }
    links = sorted(
        link(row["start"], row["type"], row["end"], row["props"])
        for row in await store.run(loading.ALL_LINKS)
    )
    return {"nodes": dict(sorted(nodes.items())), "links": links}


def report_data(report: LoadReport) -> dict[str, Any]:
    """The report without timings, as the expected files hold it."""
    data = report.model_dump(mode="json")
    data.pop("seconds")
    return data


#: properties compared to 2 digits: the classifier's confidences move a little whenever
#: its examples do, while the inferred category itself is compared exactly
_ROUNDED = frozenset({"categoryConfidence"})


def _steady(data: Any) -> Any:
    """``data`` with the ``_ROUNDED`` numbers rounded to 2 digits."""
    if isinstance(data, dict):
        return {
            k: round(v, 2) if k in _ROUNDED and isinstance(v, float) else _steady(v)
            for k, v in data.items()
        }
    if isinstance(data, list):
        return [_steady(v) for v in data]
    return data


def expect(name: str, actual: dict[str, Any]) -> None:
    """``actual`` equals the expected file ``expected/<name>.json`` exactly (confidences
    to 2 digits)."""
    path = EXPECTED / f"{name}.json"
    actual = _steady(actual)
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps(actual, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    expected = _steady(json.loads(path.read_text(encoding="utf-8")))
    assert json.loads(json.dumps(actual, ensure_ascii=False)) == expected


def link(start: str, rel: str, end: str, props: dict[str, Any] | None = None) -> str:
    """A relationship as the snapshot lists it: ``a -TYPE-> b {"k": v}``."""
    text = f"{start} -{rel}-> {end}"
    return f"{text} {json.dumps(props, ensure_ascii=False, sort_keys=True)}" if props else text


def links_from(graph: dict[str, Any], start: str, rel: str) -> dict[str, dict[str, Any]]:
    """The far ends of ``start``'s ``rel`` links, with their properties."""
    found: dict[str, dict[str, Any]] = {}
    prefix = f"{start} -{rel}-> "
    for text in graph["links"]:
        if text.startswith(prefix):
            end, _, props = text[len(prefix) :].partition(" ")
            found[end] = json.loads(props) if props else {}
    return found


def by_label(graph: dict[str, Any], label: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in graph["nodes"].items() if v["label"] == label}


def errors(report: LoadReport) -> list[tuple[Any, ...]]:
    """Each rejected cell as (file, row, column, value, code)."""
    return [(e.file, e.row, e.column, e.value, e.code) for e in report.errors]
