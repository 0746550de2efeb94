"""Every Cypher statement: valid Neo4j 5 Cypher (Neo4j's own linter, and a real Neo4j 5's
planner through EXPLAIN) and valid on FalkorDB (its planner, through GRAPH.EXPLAIN)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import typing
from pathlib import Path

import pytest
from pydantic import BaseModel

import domain.models
from graph.backends.falkordb import FalkorBackend
from graph.backends.neo4j import Neo4jBackend
from graph.cypher import Statement
from graph.model import LABELS, REL_TYPES
from graph.queries.all import load_all
from graph.store import Store

LINTER = Path(__file__).resolve().parents[2] / "tools" / "cypher-lint"


def property_keys(statements: typing.Iterable[Statement]) -> list[str]:
    keys = {"id", "createdAt", "updatedAt", "lead", "quantity", "seat", "_lock"}
    for stmt in statements:
        # keys of parameter maps and projections (row.child, use.resourceId): the checks
        # that matter are labels and relationship types, which come from graph.model only
        keys |= set(re.findall(r"\b[a-z]\w*\.(\w+)", stmt.text))
    for value in vars(domain.models).values():
        if isinstance(value, type) and issubclass(value, BaseModel):
            keys |= set(value.model_fields)
    return sorted(keys)


def test_registry_is_complete_and_named() -> None:
    statements = load_all()
    assert len(statements) > 50
    for name, stmt in statements.items():
        assert name == stmt.name
        assert "{label}" not in stmt.text and "{{" not in stmt.text, name


@pytest.mark.node
def test_every_statement_lints_clean_as_neo4j_5() -> None:
    if shutil.which("node") is None or not (LINTER / "node_modules").exists():
        pytest.fail("the Cypher linter is not installed: run scripts/install --dev")
    statements = [s for s in load_all().values() if s.dialect in {"portable", "neo4j"}]
    document = {
        "schema": {
            "labels": list(LABELS),
            "relationshipTypes": sorted(REL_TYPES),
            "propertyKeys": property_keys(statements),
        },
        "queries": [
            {"name": s.name, "text": s.text, "parameters": sorted(s.parameters)} for s in statements
        ],
    }
    done = subprocess.run(
        ["node", "lint.mjs"],
        cwd=LINTER,
        input=json.dumps(document),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    report = json.loads(done.stdout)
    errors = {r["name"]: r["errors"] for r in report["results"] if r["errors"]}
    assert errors == {}
    assert len(report["results"]) == len(statements)
    warnings = {r["name"]: r["warnings"] for r in report["results"] if r["warnings"]}
    assert warnings == {}, "unknown labels, types or properties: a typo?"


# schema changes are not plannable; every one of them runs in each test's migrate()
_SCHEMA_CHANGES = (
    "falkordb.fulltext.create", "falkordb.index.", "neo4j.unique.", "neo4j.index.",
    "neo4j.fulltext.create.",
)  # fmt: skip
_NUMBERS = {"limit", "first", "skip", "now", "offset", "since", "until"}


def _dummy(stmt: Statement) -> dict[str, typing.Any]:
    """Parameters of the right shape: EXPLAIN plans, it does not run."""
    values: dict[str, typing.Any] = {}
    for name in stmt.parameters:
        if name in _NUMBERS:
            values[name] = 10
        elif name.endswith("s") and name not in {"status", "class"}:
            values[name] = []
        else:
            values[name] = "x"
    return values


async def test_every_statement_plans_on_each_backend(store: Store) -> None:
    backend = store.backend
    failures = {}
    for stmt in load_all().values():
        if stmt.name.startswith(_SCHEMA_CHANGES):
            continue
        try:
            if isinstance(backend, FalkorBackend):
                if stmt.dialect != "neo4j":
                    await backend._graph.explain(stmt.text, _dummy(stmt))
            elif isinstance(backend, Neo4jBackend) and stmt.dialect != "falkordb":
                async with backend._session() as session:
                    await (await session.run(f"EXPLAIN {stmt.text}", _dummy(stmt))).consume()
        except Exception as e:  # noqa: BLE001 - collect them all
            # FalkorDB: a graph never written; Neo4j: a dummy of the wrong shape (a string
            # for a map): both plan the statement, not the dummy
            if "empty key" in str(e) or "Type mismatch for parameter" in str(e):
                continue
            failures[stmt.name] = str(e)
    assert failures == {}
