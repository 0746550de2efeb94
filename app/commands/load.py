"""``gongjian load PATH...``: roster files into the graph, with a report.

``--county 纳溪区`` says which county rows without a county column belong to.

Exit code 0 when every row loaded, 3 when some were rejected (the report says
which and why); ``--strict`` writes nothing if any row is bad, ``--dry-run``
only checks.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path
from typing import TextIO

from app.settings import Settings
from graph.store import Store, open_store
from loaders import ROSTER_KINDS, LoadReport, Progress, load_paths
from loaders.refine import Refined, refine

_BAR = 28
_ERRORS_SHOWN = 20


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "load",
        help="load roster files (.xlsx, .xls, .csv) or folders of them",
        description="导入名册：每一行都校验；有效行写入图，被拒绝的行在报告中说明原因。"
        "退出码 0 表示全部导入，3 表示有行被拒绝。",
    )
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or folders")
    parser.add_argument("--kind", choices=ROSTER_KINDS, help="the roster kind of every sheet")
    parser.add_argument(
        "--county", metavar="COUNTY",
        help="the county (区, 县级市, 旗 ...) of rows that name none: 纳溪区, 泸州市纳溪区 or 510503",
    )  # fmt: skip
    parser.add_argument("--strict", action="store_true", help="write nothing if any row is bad")
    parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
    parser.add_argument("--report-json", type=Path, metavar="FILE", help="write the report as JSON")
    parser.add_argument(
        "--report-xlsx", type=Path, metavar="FILE",
        help="write the report as a workbook the sender can fix and send back",
    )  # fmt: skip
    parser.add_argument("--db", help="database URL (default: GONGJIAN_DB or embedded:./data)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(func=run)


class ProgressBar:
    """A one-line bar with rows per second, drawn on a terminal only."""

    def __init__(self, out: TextIO, enabled: bool) -> None:
        self.out = out
        self.enabled = enabled
        self.started: dict[tuple[str, str], float] = {}
        self.last = time.perf_counter()
        self.drawn = False

    def __call__(self, event: Progress) -> None:
        if not self.enabled:
            return
        now = time.perf_counter()
        # a phase starts where the one before it ended
        started = self.started.setdefault((event.phase, event.kind), self.last)
        self.last = now
        elapsed = max(now - started, 1e-6)
        done = min(event.done, event.total)
        filled = int(_BAR * done / event.total) if event.total else _BAR
        phase = "校验" if event.phase == "check" else "写入"
        self.out.write(
            f"\r{event.kind:<10} {phase} [{'#' * filled}{'.' * (_BAR - filled)}] "
            f"{done}/{event.total}  {done / elapsed:,.0f} 行/秒   "
        )
        self.out.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.out.write("\n")
            self.out.flush()


def _print(report: LoadReport, out: TextIO) -> None:
    print(report.table(), file=out)
    state = (
        "仅校验，未写入"
        if report.dryRun
        else ("已写入" if report.written else "未写入（--strict：存在错误）")
    )
    print(f"{state}；用时 {report.seconds:.1f} 秒，{report.rowsPerSecond:,.0f} 行/秒", file=out)
    for error in report.errors[:_ERRORS_SHOWN]:
        where = " ".join(
            part for part in (error.file, error.sheet or "",
                              f"第{error.row}行" if error.row else "", error.column or "") if part
        )  # fmt: skip
        print(f"  ✗ {where}：{error.reason}", file=out)
    if len(report.errors) > _ERRORS_SHOWN:
        print(
            f"  …… 共 {len(report.errors)} 个问题，完整清单见 --report-json / --report-xlsx",
            file=out,
        )
    for sheet in report.sheets:
        if sheet.readAs:
            name = " ".join(part for part in (sheet.file, sheet.sheet or "") if part)
            print(f"  列名按近似读取（{name}）：{sheet.readings()}，请核对", file=out)
    if report.warnings:
        print(f"  提醒 {len(report.warnings)} 条（见报告）", file=out)


def run(args: argparse.Namespace) -> int:
    return asyncio.run(_run(args))


async def _run(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    bar = ProgressBar(sys.stderr, enabled=sys.stderr.isatty() and not args.quiet)
    printed = False
    async with open_store(args.db or settings.db, graph=settings.graph) as store:
        await store.migrate()
        try:
            report = await load_paths(
                store, args.paths, kind=args.kind, strict=args.strict, dry_run=args.dry_run,
                progress=bar, county=args.county, limits=settings.file_limits,
            )  # fmt: skip
        finally:
            bar.close()
        if report.written and any(w.code == "INFERRED_CATEGORY" for w in report.warnings):
            _print(report, sys.stdout)
            printed = True
            # the categories inferred lexically, refined before the command ends
            await refine_all(store, sys.stderr, quiet=args.quiet)
    if args.report_json:
        report.write_json(args.report_json)
    if args.report_xlsx:
        report.write_xlsx(args.report_xlsx)
    if not printed:
        _print(report, sys.stdout)
    return report.exitCode


async def refine_all(store: Store, out: TextIO, *, quiet: bool = False) -> Refined:
    """Refine every category still holding a lexical decision: a progress line on a
    terminal, then what was done (unless ``quiet``)."""

    live = out.isatty() and not quiet

    def line(done: int, total: int) -> None:
        if live:
            out.write(f"\r细化推断的需求类别 {done}/{total}   ")
            out.flush()

    done = await refine(store, progress=line)
    if done.refined and not quiet:
        out.write(
            f"\r细化推断的需求类别 {done.refined} 条，其中 {done.changed} 条类别有变化，"
            f"用时 {done.seconds:.1f} 秒\n"
        )
        out.flush()
    return done
