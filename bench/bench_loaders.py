"""Loading generated rosters end to end, against writing the same rows with raw UNWINDs.

    .venv/bin/python -m bench.bench_loaders [--rows 100000] [--batch 1000]

Generates ``--rows`` resource rows and as many demand rows as CSV files (plus a
small divisions and units roster they refer to) in a temporary folder, loads
them with ``loaders.load_paths`` into a fresh embedded FalkorDB
(``open_store("embedded:TMPDIR")``) and prints rows per second: files read,
every row checked, places resolved, nodes and links written by diff. The same
rows, checked and planned by the loader itself (untimed: the same nodes, properties
and links), are then written to another fresh embedded database with one raw
``UNWIND ... MERGE`` per batch, label and link type, and the ratio is printed. A second load of the
same files (nothing changes) is timed too, and so is a load of the same rows with
every category given into a third database (what inferring 1 category in 20 costs).

The demands whose category is inferred say what residents say: their title and
description are those of the evaluation's held-out sets (matching_eval/colloquial_holdout*.csv,
written by others and never used to tune the classifier), each title with the row's
number, so that no two rows are the same text (a text given twice is embedded once). A
synthetic "需求000019。居民反映的问题" says nothing the classifier could use, and a
roster's real demands do: how many of them are embedded is printed (all of them while the
classifier's cascade is off, ``Weights.cascade``; with it on, it decides some lexically).

The load itself embeds nothing: it stores the classifier's lexical decision and leaves
the texts the cascade would embed to the refinement after the load (``loaders.refine``:
the server runs it in the background, ``gongjian load`` before it exits). Its time,
and the time until every demand holds the classifier's final decision, are printed.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import random
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from domain.ids import label_of_id
from domain.vocab import Category, MatterClass, Urgency, labels
from graph.store import Store, open_store
from loaders import LoadReport, load_paths
from loaders.read import read_path
from loaders.refine import pending, refine
from loaders.run import plan_sheets
from matching.classify import default_classifier
from matching.config import config
from matching.embed import vector_cache

COMMUNITIES = [
    ("符阳街道", name, f"510522001{i:03d}")
    for i, name in enumerate(
        ["百花亭", "枣林桥", "马街", "建设路", "菜坝", "桂圆林", "义园街", "桥凼", "荔城", "少岷"],
        1,
    )
] + [
    ("临港街道", name, f"510522002{i:03d}")
    for i, name in enumerate(["五里坡", "兴隆", "联榕坝"], 1)
]
UNITS = 40
HELD_OUT = Path(__file__).resolve().parents[1] / "matching_eval"
DATES = ("2024-03-05", "2024/3/5", "2024年3月5日", "2024.3.5", "45356")

RAW_NODES = """
UNWIND $rows AS row
MERGE (n:{label} {{id: row.id}})
ON CREATE SET n.createdAt = $now
SET n += row.props, n.updatedAt = $now
"""
RAW_LINKS = """
UNWIND $rows AS row
MATCH (a:{start} {{id: row.start}}) MATCH (b:{end} {{id: row.end}})
MERGE (a)-[r:{rel}]->(b)
SET r = row.props
"""


def _write(path: Path, rows: list[list[Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(rows)


def spoken() -> list[tuple[str, str]]:
    """(title, description) of the evaluation's held-out demands, residents' words."""
    out = []
    for path in sorted(HELD_OUT.glob("colloquial_holdout*.csv")):
        with path.open(encoding="utf-8-sig") as f:
            out += [(row["需求标题"], row["需求描述"]) for row in csv.DictReader(f)]
    return out


def generate(folder: Path, n: int, *, unknown: bool = True) -> None:
    """The roster files: divisions and units, then ``n`` resources and ``n`` demands
    (``unknown``: one demand in 20 has a category not in the vocabulary, so it is
    inferred from residents' words (``spoken``); else every category is given)."""
    rnd = random.Random(7)
    words = spoken()
    _write(folder / "divisions.csv", [["县(市、区)", "街道(乡镇)", "社区", "区划代码"]] + [
        ["合江县", street, f"{name}社区", code] for street, name, code in COMMUNITIES
    ])  # fmt: skip
    units = [f"合江县基准测试单位{i:02d}" for i in range(UNITS)]
    _write(folder / "units.csv", [["单位名称", "单位类型", "所属县", "联系社区"]] + [
        [unit, "县级部门", "合江县", "、".join(f"{c[1]}社区" for c in rnd.sample(COMMUNITIES, 3))]
        for unit in units
    ])  # fmt: skip
    categories = [*labels(Category), "社区食堂" if unknown else "其他"]
    resources: list[list[Any]] = [["单位名称", "资源名称", "资源类别", "资源描述", "数量", "计量单位",
                                   "服务范围", "可提供时间", "联系人", "联系电话"]]  # fmt: skip
    for i in range(n):
        street, community, _ = COMMUNITIES[i % len(COMMUNITIES)]
        scope = ("全县", street, f"{community}社区")[i % 3]
        resources.append([units[i % UNITS], f"资源{i:06d}", categories[i % len(categories)],
                          f"第 {i} 项资源的说明", i % 50 + 1, "次", scope, "工作日", "张三",
                          f"138{i:08d}"])  # fmt: skip
    _write(folder / "resources.csv", resources)
    demands: list[list[Any]] = [["街道", "社区", "小区", "楼栋", "需求标题", "需求描述", "需求类别",
                                 "事项类型", "紧急程度", "受益户数", "收集人", "收集日期", "来源"]]  # fmt: skip
    matters, urgencies = labels(MatterClass), labels(Urgency)
    for i in range(n):
        street, community, _ = COMMUNITIES[i % len(COMMUNITIES)]
        category = categories[i % len(categories)]
        title, description = f"需求{i:06d}", "居民反映的问题"
        if category == "社区食堂":
            title, description = words[i // len(categories) % len(words)]
            title = f"{title}（{i:06d}）"  # one demand per title and community
        demands.append([street, f"{community}社区", f"小区{i % 97:02d}", f"{i % 11 + 1}栋",
                        title, description, category,
                        matters[i % 5], urgencies[i % 2], i % 300, "李四", DATES[i % len(DATES)],
                        "网格员走访"])  # fmt: skip
    _write(folder / "demands.csv", demands)


async def _timed_load(store: Store, paths: list[Path]) -> tuple[float, LoadReport]:
    started = time.perf_counter()
    report = await load_paths(store, paths)
    return time.perf_counter() - started, report


async def raw_write(store: Store, paths: list[Path], batch: int) -> float:
    """The same rows, checked and planned by the loader (untimed), written with the raw
    client: per kind, one ``UNWIND ... MERGE`` per batch for each label and link type."""
    report = LoadReport()
    sheets = [sheet for path in paths for sheet in read_path(path)]
    _, planned = await plan_sheets(store, sheets, report)
    assert report.exitCode == 0, report.errors[:3]
    graph = store.backend._graph  # type: ignore[attr-defined]
    now = int(time.time() * 1000)

    async def send(text: str, rows: list[dict[str, Any]]) -> None:
        for start in range(0, len(rows), batch):
            await graph.query(text, {"rows": rows[start : start + batch], "now": now})

    started = time.perf_counter()
    for _, plans in planned:
        nodes: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
        links: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
        for plan in plans:
            for label, node_id, props in plan.nodes:
                nodes[label][node_id] = props
            for link in plan.links:
                for other, props in link.targets.items():
                    ends = (link.owner, other) if link.side == "start" else (other, link.owner)
                    labels_ = [label_of_id(end) for end in ends]
                    key = (str(labels_[0]), link.rel, str(labels_[1]))
                    links[key].append({"start": ends[0], "end": ends[1], "props": props})
        for label, props_by_id in nodes.items():
            await send(RAW_NODES.format(label=label),
                       [{"id": k, "props": v} for k, v in props_by_id.items()])  # fmt: skip
        for (start_label, rel, end_label), pairs in links.items():
            await send(RAW_LINKS.format(start=start_label, rel=rel, end=end_label), pairs)
    return time.perf_counter() - started


async def main(rows: int, batch: int) -> None:
    with tempfile.TemporaryDirectory(prefix="gongjian-bench-") as tmp:
        folder = Path(tmp) / "rosters"
        folder.mkdir()
        generate(folder, rows)
        base = [folder / "divisions.csv", folder / "units.csv"]
        files = [folder / "resources.csv", folder / "demands.csv"]
        async with open_store(f"embedded:{Path(tmp) / 'db'}", timeout_ms=None) as store:
            await store.migrate()
            await load_paths(store, base)
            # the classifier loads its model once per process (a server pays it at the
            # first uncategorised demand): timed on its own, not as part of a load
            started = time.perf_counter()
            await asyncio.to_thread(default_classifier().classify_many, [("预热", "")])
            warm = time.perf_counter() - started
            vectors = vector_cache(config().cache_dir)
            before = vectors.computed
            seconds, report = await _timed_load(store, files)
            assert vectors.computed == before, "the load embedded texts"
            assert report.exitCode == 0, report.errors[:3]
            again, second = await _timed_load(store, files)
            assert sum(k.unchanged for k in second.kinds) == 2 * rows
            # what the loader's callers do after the load: embed the demands the load
            # decided lexically, and store the classifier's decision (loaders.refine)
            lexical = await pending(store)
            refined = await refine(store)
            assert await pending(store) == 0
            embedded = vectors.computed - before
        given = Path(tmp) / "given"
        given.mkdir()
        generate(given, rows, unknown=False)
        async with open_store(f"embedded:{Path(tmp) / 'given-db'}", timeout_ms=None) as store:
            await store.migrate()
            await load_paths(store, [given / "divisions.csv", given / "units.csv"])
            plain, plain_report = await _timed_load(
                store, [given / "resources.csv", given / "demands.csv"]
            )
            assert plain_report.exitCode == 0, plain_report.errors[:3]
        async with open_store(f"embedded:{Path(tmp) / 'raw'}", timeout_ms=None) as store:
            await store.migrate()
            await load_paths(store, base)
            raw = await raw_write(store, files, batch)
    total = 2 * rows
    print(f"rows: {rows:,} resources + {rows:,} demands = {total:,}")
    for k in report.kinds:
        print(f"  {k.kind:<10} created {k.created:,}  rejected {k.rejected}")
    inferred = sum(1 for e in report.warnings if e.code == "INFERRED_CATEGORY")
    print(f"classifier start-up     {warm:8.1f} s  (once per process)")
    print(
        f"loader, end to end      {seconds:8.1f} s  {total / seconds:10,.0f} rows/s"
        f"  ({inferred:,} categories inferred lexically, none embedded)"
    )
    print(
        f"refinement after it     {refined.seconds:8.1f} s  {lexical:,} demands and resources left to it,"
        f" {embedded:,} embedded, {refined.changed:,} changed"
    )
    print(f"every category refined  {seconds + refined.seconds:8.1f} s  after the load started")
    print(f"loader, all given       {plain:8.1f} s  {total / plain:10,.0f} rows/s")
    print(f"loader, again (no-op)   {again:8.1f} s  {total / again:10,.0f} rows/s")
    print(f"raw batched UNWIND      {raw:8.1f} s  {total / raw:10,.0f} rows/s")
    print(f"ratio loader / raw      {seconds / raw:8.1f} x  with inference (goal <= 2)")
    print(f"ratio loader / raw      {plain / raw:8.1f} x  all categories given")


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=100_000, help="resource rows, and demand rows")
    parser.add_argument("--batch", type=int, default=1000, help="raw UNWIND batch size")
    args = parser.parse_args()
    asyncio.run(main(args.rows, args.batch))


if __name__ == "__main__":
    cli()
