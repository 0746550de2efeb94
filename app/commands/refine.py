"""``gongjian refine``: refine the demand categories a load inferred lexically.

A load stores the lexical decision on a demand without a usable 需求类别 and refines it
right after (``gongjian load`` before it exits, the server in the background); this
command finishes what an interrupted refinement left (``loaders.refine``).
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from app.commands.load import refine_all
from app.settings import Settings
from graph.store import open_store


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "refine",
        help="refine the demand categories inferred lexically at load time",
        description="细化导入时初步推断的需求类别（导入中断或服务停止后继续）。",
    )
    parser.add_argument("--db", help="database URL (default: GONGJIAN_DB or embedded:./data)")
    parser.add_argument("--quiet", action="store_true", help="no progress line")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    return asyncio.run(_run(args))


async def _run(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    async with open_store(args.db or settings.db, graph=settings.graph) as store:
        await store.migrate()
        done = await refine_all(store, sys.stderr, quiet=args.quiet)
    print(f"已细化 {done.refined} 条推断的需求类别（{done.changed} 条有变化）")
    return 0
