"""``gongjian db status|migrate|wipe``."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys

from app.settings import Settings
from graph.queries import nodes
from graph.store import Store, open_store


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("db", help="the graph database: status, migrate, wipe")
    parser.add_argument("--db", help="database URL (default: GONGJIAN_DB or embedded:./data)")
    actions = parser.add_subparsers(dest="action", required=True)
    actions.add_parser("status", help="backend, reachability and node counts per label")
    actions.add_parser("migrate", help="create missing indexes and constraints (idempotent)")
    wipe = actions.add_parser("wipe", help="delete every node and relationship")
    wipe.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    parser.set_defaults(func=run)


def _store(args: argparse.Namespace) -> Store:
    settings = Settings.from_env()
    return open_store(args.db or settings.db, graph=settings.graph)


def run(args: argparse.Namespace) -> int:
    if args.action == "wipe" and not args.yes:
        target = args.db or Settings.from_env().db
        answer = input(f"删除 {target} 中的全部数据？输入 yes 确认 (delete ALL data): ")
        if answer.strip().lower() != "yes":
            print("未删除 (nothing deleted)")
            return 1
    return asyncio.run(_run(args))


async def _run(args: argparse.Namespace) -> int:
    async with _store(args) as store:
        if args.action == "status":
            facts = await store.ping()
            counts = {}
            for label, stmt in nodes.COUNT.items():
                counts[label] = (await store.run(stmt))[0]["count"]
            facts["nodes"] = {label: n for label, n in counts.items() if n}
            facts["relationships"] = (await store.run(nodes.COUNT_RELATIONSHIPS))[0][
                "relationships"
            ]
            json.dump(facts, sys.stdout, ensure_ascii=False, indent=2)
            print()
        elif args.action == "migrate":
            created = await store.migrate()
            print(
                "\n".join(created) if created else "无需变更 (indexes and constraints are in place)"
            )
        elif args.action == "wipe":
            await store.wipe()
            print("已清空 (wiped)")
    return 0
