"""``gongjian member-hours SCOPE [--month YYYY-MM | --from D --to D] [-o FILE]``: the
双报到 hours per home unit as .xlsx (docs/exports-member-hours.md).

Run by whoever holds the database: names and phones are written as stored, for the
community to hand to each unit.
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from app.settings import Settings
from domain.errors import InvalidInput
from domain.ids import division_level, pad_division_code
from domain.members import Member, period_of
from graph import member_hours
from graph.store import open_store
from loaders.exports import member_hours as export


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "member-hours",
        help="write the 双报到 confirmed hours per home unit as .xlsx",
        description="导出双报到党员服务时长（按工作单位汇总，只计已确认的时长）",
    )
    parser.add_argument("scope", help="county, street or community code (6, 9 or 12 digits)")
    parser.add_argument("--month", metavar="YYYY-MM", help="one month (China time)")
    parser.add_argument("--from", dest="start", metavar="DATE", help="first day (ISO date)")
    parser.add_argument("--to", dest="end", metavar="DATE", help="last day (ISO date)")
    parser.add_argument("-o", "--output", type=Path, metavar="FILE",
                        help="where to write it (default: a name with scope and period)")  # fmt: skip
    parser.add_argument("--db", help="database URL (default: GONGJIAN_DB or embedded:./data)")
    parser.set_defaults(func=run)


def _prefix(scope: str) -> tuple[str, str]:
    try:
        full = pad_division_code(scope)
    except ValueError as e:
        raise InvalidInput(str(e), field="scope") from e
    level = division_level(full)
    if level not in ("County", "Street", "Community"):
        raise InvalidInput(f"scope 应为县、街道或社区的区划代码，收到 {scope!r}", field="scope")
    return full, full[:6] if level == "County" else full[:9] if level == "Street" else full


def _as_stored(member: Member) -> tuple[str, str]:
    return member.name, member.phone or ""


def run(args: argparse.Namespace) -> int:
    return asyncio.run(_run(args))


async def _run(args: argparse.Namespace) -> int:
    period = period_of(args.start, args.end, args.month)
    full, prefix = _prefix(args.scope)
    settings = Settings.from_env()
    async with open_store(args.db or settings.db, graph=settings.graph) as store:
        totals = await member_hours.totals(store, full, prefix, period)
    path = export.write(args.output or Path(export.filename(totals)), totals, _as_stored)
    hours = round(sum(u.hours for u in totals.units), 4)
    print(f"已导出 {len(totals.units)} 个工作单位、共 {hours:g} 小时：{path}")
    return 0
