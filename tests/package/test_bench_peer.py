"""bench/bench_peer.py at a tiny size, so that it cannot rot: both servers answer the
same names and ids for every question, and every figure is measured."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bench import bench_peer

pytestmark = [pytest.mark.slow, pytest.mark.node]

PEER = Path(bench_peer.PEER).parent


def test_the_peer_benchmark_runs_and_the_answers_agree(neo4j_uri: str, tmp_path: Path) -> None:
    if shutil.which("node") is None or not (PEER / "node_modules").is_dir():
        pytest.fail("the peer is not installed: run scripts/install --dev (npm ci in tools/)")
    out = tmp_path / "figures.json"
    argv = ["--neo4j", neo4j_uri, "--wipe", "--requests", "3", "--clients", "1", "2"]
    # main() exits (SystemExit) when a pair of answers differs
    assert bench_peer.main([*argv, "--json", str(out), "--logs", str(tmp_path)]) == 0
    rows = json.loads(out.read_text())
    assert [(r["question"], r["clients"]) for r in rows] == [
        (q.name, clients) for q in bench_peer.QUESTIONS for clients in (1, 2)
    ]
    for row in rows:
        assert row["rows"] > 1
        for server in ("gongjian", "peer"):
            p50, p99, per_second = row[server]
            assert 0 < p50 <= p99 and per_second > 0


def test_answers_that_differ_stop_the_benchmark() -> None:
    question = bench_peer.QUESTIONS[2]
    ours = {"division": {"name": "x社区", "liaisonUnits": [
        {"lead": True, "unit": {"id": "u1", "name": "甲", "resources": {"nodes": [{"id": "r1", "name": "甲资源"}]}}},
    ]}}  # fmt: skip
    theirs = {"communities": [{"name": "x社区", "liaisonUnitsConnection": {"edges": [
        {"properties": {"lead": False}, "node": {"id": "u1", "name": "甲", "resources": [{"id": "r1", "name": "甲资源"}]}},
    ]}}]}  # fmt: skip
    # the lead flag differs: the sets differ, so the benchmark would refuse to time it
    assert question.read_gongjian(ours) != question.read_peer(theirs)
    theirs["communities"][0]["liaisonUnitsConnection"]["edges"][0]["properties"]["lead"] = True
    assert question.read_gongjian(ours) == question.read_peer(theirs)
