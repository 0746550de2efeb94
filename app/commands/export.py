"""``gongjian export assessment --scope CODE --month 2026-11 --out FILE``: the month's
assessment of a county or street as .xlsx (docs/exports.md).

Exit code 0 when written, 2 for a bad scope or month (the message says what to fix).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from app.settings import Settings
from domain import clock
from domain.errors import GongjianError
from graph.store import open_store
from loaders.exports.assessment import assessment
from resolvers.rates import place_code


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "export", help="export workbooks departments hand in (.xlsx)",
        description="导出考核表等工作簿 (见 docs/exports.md)。",
    )  # fmt: skip
    kinds = parser.add_subparsers(dest="kind", required=True, metavar="KIND")
    one = kinds.add_parser(
        "assessment", help="the month's assessment of a county or street: 三率, 单位排名, 逾期清单"
    )
    one.add_argument("--scope", required=True, metavar="CODE", help="county or street code")
    one.add_argument("--month", required=True, metavar="YYYY-MM", help="month, China time")
    one.add_argument("--out", required=True, type=Path, metavar="FILE", help="the .xlsx to write")
    one.add_argument("--db", help="database URL (default: GONGJIAN_DB or embedded:./data)")
    one.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    return asyncio.run(_run(args))


async def _run(args: argparse.Namespace) -> int:
    code = place_code(args.scope)
    if code is None:
        print(
            f"gongjian export: --scope 是 6 或 9 位区划代码, 收到 {args.scope!r}", file=sys.stderr
        )
        return 2
    settings = Settings.from_env()
    async with open_store(args.db or settings.db, graph=settings.graph) as store:
        await store.migrate()
        try:
            found = await assessment(store, code, args.month, clock.now_ms())
        except GongjianError as e:
            print(f"gongjian export: {e.message}", file=sys.stderr)
            return 2
    args.out.write_bytes(found.data)
    print(f"已写入 {args.out} ({len(found.data):,} 字节)")
    return 0
