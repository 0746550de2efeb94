"""Categories inferred at load time: the load stores the lexical decision without
embedding anything; the refinement after it stores exactly what ``matching.classify``
ships; a person's correction in between is kept (``loaders.refine``)."""

from __future__ import annotations

import asyncio
import csv
import json
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.cli import main
from graph.store import Store, open_store
from loaders import load_paths
from loaders.refine import pending, refine
from matching.classify import default_classifier
from matching.config import config
from matching.embed import vector_cache
from tests.api.test_demand_category import gql
from tests.conftest import Api, bearer
from tests.loaders.conftest import by_label, snapshot

#: 达拉特旗 (a banner), 工业街道, 召北社区: resolved from the shipped table
BANNER = "150621000000"
HEADER = ["县", "街道", "社区", "需求标题", "需求描述", "需求类别", "事项类型"]
HELD_OUT = Path(__file__).resolve().parents[2] / "matching_eval" / "colloquial_holdout.csv"
CONFIRM = """mutation($id: ID!, $category: Category!) { confirmDemandCategory(id: $id,
  category: $category) { __typename ... on Demand { category categoryInferred categoryInferredBy } } }"""
READ = """query($id: ID!) { demand(id: $id) { category categoryInferred categoryConfidence
  categoryInferredBy } }"""


def _spoken(tag: str) -> list[tuple[str, str]]:
    """Residents' words (the evaluation's held-out set), each title made unique by
    ``tag`` so that its text was never embedded before this test."""
    with HELD_OUT.open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))[:16]
    return [(f"{r['需求标题']}（{tag}{i}）", r["需求描述"]) for i, r in enumerate(rows)]


def _roster(folder: Path, texts: list[tuple[str, str]]) -> Path:
    path = folder / "demands.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([
            HEADER,
            *(["达拉特旗", "工业街道", "召北社区", t, d, "", "实事"] for t, d in texts),
            ["达拉特旗", "工业街道", "召北社区", "重阳节活动", "给老人办个重阳节活动", "文体活动", "实事"],
        ])  # fmt: skip
    return path


async def _demands(store: Store) -> dict[str, dict[str, Any]]:
    return {d["title"]: d for d in by_label(await snapshot(store), "Demand").values()}


async def test_load_is_lexical_then_refined_as_classify(store: Store, tmp_path: Path) -> None:
    texts = _spoken(f"r{time.time_ns()}")
    path = _roster(tmp_path, texts)
    vectors = vector_cache(config().cache_dir)
    default_classifier().classify_many([("预热", "")])  # the model's one-time start-up
    before = vectors.computed
    report = await load_paths(store, [path])
    assert report.exitCode == 0, report.errors
    assert vectors.computed == before  # nothing embedded on the load's path
    demands = await _demands(store)
    stages = {t: demands[t]["categoryInferredBy"] for t, _ in texts}
    lexical = [t for t, stage in stages.items() if stage == "LEXICAL"]
    assert lexical and set(stages.values()) <= {"LEXICAL", "STACKED"}
    assert "categoryInferredBy" not in demands["重阳节活动"]  # the roster gave it
    notes = [w.reason for w in report.warnings if w.code == "INFERRED_CATEGORY"]
    assert len(notes) == len(texts)
    assert sum("导入后将结合语义" in n for n in notes) == len(lexical)
    assert await pending(store) == len(lexical)

    done = await refine(store, batch=5)
    assert done.refined == len(lexical) and await pending(store) == 0
    assert vectors.computed > before
    shipped = default_classifier().classify_many(texts)
    demands = await _demands(store)
    assert {t: (demands[t]["category"], round(demands[t]["categoryConfidence"], 4),
                demands[t]["categoryInferredBy"]) for t, _ in texts} == {
        t: (g.category.value, round(g.confidence, 4), "STACKED")
        for (t, _), g in zip(texts, shipped, strict=True)
    }  # fmt: skip
    assert demands["重阳节活动"]["category"] == "CULTURE_SPORTS"
    assert (await refine(store)).refined == 0
    # the same roster again: the refined decisions stay, nothing changes
    again = await load_paths(store, [path])
    assert [(k.created, k.updated) for k in again.kinds] == [(0, 0)]
    assert await pending(store) == 0


async def test_a_correction_before_refinement_is_kept(
    store: Store, api: Api, tmp_path: Path
) -> None:
    texts = _spoken(f"c{time.time_ns()}")
    assert (await load_paths(store, [_roster(tmp_path, texts)])).exitCode == 0
    demands = await _demands(store)
    lexical = [demands[t] for t, _ in texts if demands[t]["categoryInferredBy"] == "LEXICAL"]
    corrected = lexical[0]
    admin = bearer("COUNTY_ADMIN", BANNER)
    seen = gql(api, READ, admin, id=corrected["id"])
    assert (seen["categoryInferred"], seen["categoryInferredBy"]) == (True, "LEXICAL")
    confirmed = gql(api, CONFIRM, admin, id=corrected["id"], category="FUNDS")
    assert confirmed == {"__typename": "Demand", "category": "FUNDS",
                         "categoryInferred": False, "categoryInferredBy": None}  # fmt: skip
    done = await refine(store)
    assert done.refined == len(lexical) - 1
    after = gql(api, READ, admin, id=corrected["id"])
    assert after == {"category": "FUNDS", "categoryInferred": False,
                     "categoryConfidence": None, "categoryInferredBy": None}  # fmt: skip
    other = gql(api, READ, admin, id=lexical[-1]["id"])
    assert (other["categoryInferred"], other["categoryInferredBy"]) == (True, "STACKED")


def _upload(api: Api, path: Path, token: str) -> dict[str, Any]:
    operations = {
        "query": "mutation($file: Upload!) { loadRoster(file: $file) { __typename "
        "... on LoadReport { written } } }",
        "variables": {"file": None},
    }
    response = httpx.post(
        f"{api}/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.file"]})},
        files={"0": ("demands.csv", path.read_bytes(), "text/csv")},
        headers={"authorization": f"Bearer {token}"},
        timeout=120,
    )
    return dict(response.json()["data"]["loadRoster"])


async def test_an_upload_is_refined_in_the_server_s_background(
    store: Store, api: Api, tmp_path: Path
) -> None:
    path = _roster(tmp_path, _spoken(f"u{time.time_ns()}"))
    loaded = _upload(api, path, bearer("COUNTY_ADMIN", BANNER))
    assert loaded == {"__typename": "LoadReport", "written": True}, loaded
    deadline = time.monotonic() + 120
    # the server's task runs on the server's own loop: nothing here to wait on but the graph
    while await pending(store) and time.monotonic() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.2)
    assert await pending(store) == 0
    stages = {d["categoryInferredBy"] for d in (await _demands(store)).values()
              if d["categoryInferred"]}  # fmt: skip
    assert stages == {"STACKED"}


def test_the_commands_refine_what_a_load_left(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``gongjian refine`` finishes what a stopped refinement left; ``gongjian load``
    refines before it exits, with a progress line."""
    db = f"embedded:{tmp_path / 'db'}"
    texts = _spoken(f"k{time.time_ns()}")

    async def load_only() -> int:  # a load whose refinement never ran (a server stopped)
        async with open_store(db, timeout_ms=None) as store:
            await store.migrate()
            assert (await load_paths(store, [_roster(tmp_path, texts)])).exitCode == 0
            return await pending(store)

    left = asyncio.run(load_only())
    assert left
    assert main(["refine", "--db", db]) == 0
    assert f"已细化 {left} 条推断的需求类别" in capsys.readouterr().out
    assert main(["refine", "--db", db]) == 0
    assert "已细化 0 条" in capsys.readouterr().out
    again = _spoken(f"l{time.time_ns()}")
    (tmp_path / "second").mkdir()
    assert main(["load", str(_roster(tmp_path / "second", again)), "--db", db]) == 0
    captured = capsys.readouterr()
    assert "细化推断的需求类别" in captured.err and "用时" in captured.err
    assert main(["refine", "--db", db]) == 0
    assert "已细化 0 条" in capsys.readouterr().out
