"""A load, start to end: sheets -> kinds -> checked rows -> plans -> batched writes.

Every row is checked before anything is written, so ``strict`` can refuse the
whole load and ``dry_run`` can report without writing. Kinds are written in
``ROSTER_KINDS`` order; a row may refer to the graph or to an earlier file.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import ValidationError

from divisions import DivisionIndex
from graph.store import Store
from loaders import confine
from loaders.cells import CellError, display
from loaders.context import LoadContext
from loaders.headers import HeaderMatch, detect, norm
from loaders.kinds import KINDS, Kind
from loaders.people import People
from loaders.plan import Problem, Rejected, RowPlan, RowRef
from loaders.read import RawSheet
from loaders.report import KindSummary, LoadReport, RejectedRow, RowError, SheetSummary
from loaders.write import merge_links, write_batch

BATCH = 1000
#: totals, and the template's example row (its first cell starts with 示例)
_SKIP = re.compile(r"^(合\s*计|总\s*计|小\s*计|共\s*计|示例|例[:：])")
_NOTE = re.compile(r"^(注|备注|说明|填表|制表|审核|数据截至|单位盖章)")


@dataclass(frozen=True)
class Progress:
    phase: Literal["check", "write"]
    kind: str
    done: int
    total: int


ProgressFn = Callable[[Progress], None]


@dataclass
class Sheet:
    raw: RawSheet
    match: HeaderMatch
    kind: Kind

    def header(self) -> list[str]:
        """The header as written (a two-row header read as one)."""
        cells = [display(v) for v in self.raw.rows[self.match.row]]
        for key, index in self.match.columns.items():
            cells[index] = self.match.written[key]
        return cells


@dataclass
class Row:
    ref: RowRef
    sheet: Sheet
    index: int
    model: Any = None
    #: keys of the columns whose cells failed their check
    bad: set[str] = field(default_factory=set)


def letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


class Load:
    """One load's state: the report it fills and the context rows resolve in."""

    def __init__(self, ctx: LoadContext, report: LoadReport, progress: ProgressFn | None) -> None:
        self.ctx = ctx
        self.report = report
        self.progress = progress
        self.summaries = {
            name: KindSummary(kind=name, title=kind.title) for name, kind in KINDS.items()
        }
        self.seen: dict[str, RowRef] = {}
        #: the plan of each entry's first row, for a kind whose later rows fold into it
        self.first_plans: dict[str, RowPlan] = {}
        self.rejected: dict[RowRef, RejectedRow] = {}
        self.sheet_summaries: dict[int, SheetSummary] = {}

    # -- problems ------------------------------------------------------------------

    def problem(self, row: Row, problem: Problem, *, warning: bool = False) -> None:
        sheet, match = row.sheet, row.sheet.match
        column = match.written.get(problem.column or "")
        index = match.columns.get(problem.column or "")
        if column is None and problem.column:
            try:
                column = sheet.kind.column(problem.column).header
            except KeyError:
                column = None
        value = problem.value
        if value is None and index is not None:
            value = display(sheet.raw.rows[row.index][index]) or None
        error = RowError(
            file=row.ref.file, sheet=row.ref.sheet, row=row.ref.row, column=column,
            columnLetter=letter(index) if index is not None else None, value=value,
            reason=problem.reason, code=problem.code, kind=sheet.kind.name,
        )  # fmt: skip
        if warning:
            self.report.warnings.append(error)
            return
        self.report.errors.append(error)
        rejected = self.rejected.get(row.ref)
        if rejected is None:
            rejected = RejectedRow(sheet.kind.name, row.ref.file, row.ref.sheet, sheet.header(),
                                   row.ref.row, list(sheet.raw.rows[row.index]))  # fmt: skip
            self.rejected[row.ref] = rejected
            self.summaries[sheet.kind.name].rejected += 1
        rejected.problems.append(error)

    def file_error(
        self, file: str, sheet: str | None, reason: str, code: str, *, warning: bool = False
    ) -> None:
        error = RowError(file=file, sheet=sheet, reason=reason, code=code)
        (self.report.warnings if warning else self.report.errors).append(error)

    # -- sheets --------------------------------------------------------------------

    def classify(self, raws: Sequence[RawSheet], kind: str | None) -> list[Sheet]:
        kinds = [KINDS[kind]] if kind else list(KINDS.values())
        found: list[Sheet] = []
        unknown: list[RawSheet] = []
        for raw in raws:
            match = detect(raw.rows, [k.spec for k in kinds])
            summary = SheetSummary(file=raw.file, sheet=raw.sheet, encoding=raw.encoding)
            self.report.sheets.append(summary)
            self.sheet_summaries[id(raw)] = summary
            if match is None:
                if any(raw.own):
                    unknown.append(raw)
                continue
            sheet = Sheet(raw, match, KINDS[match.kind])
            summary.kind, summary.headerRow = match.kind, match.row + 1
            summary.ignoredColumns, summary.readAs = match.ignored, match.read_as
            missing = [sheet.kind.column(k).header for k in sorted(sheet.kind.required)
                       if k not in match.columns]  # fmt: skip
            if missing:
                self.file_error(
                    raw.file,
                    raw.sheet,
                    f"缺少必填列：{'、'.join(missing)}（{sheet.kind.title}）",
                    "MISSING_COLUMN",
                )
                continue
            found.append(sheet)
        wanted = f"{KINDS[kind].title}（{kind}）" if kind else "任何一种名册"
        recognised = {s.raw.file for s in found}
        for raw in unknown:
            # a notes sheet beside a roster is passed over; a file with no roster is an error
            other = raw.file in recognised
            reason = (f"工作表“{raw.sheet}”不是名册，已跳过" if other else
                      f"在前 30 行中找不到{wanted}的表头：请核对列名，或用 --kind 指定名册类型")  # fmt: skip
            self.file_error(raw.file, raw.sheet, reason, "NO_HEADER", warning=other)
        return found

    def rows(self, sheet: Sheet) -> list[Row]:
        """The sheet's data rows: blank rows, totals, notes and repeated headers passed over."""
        raw, match = sheet.raw, sheet.match
        header = [norm(v) for v in raw.rows[match.row]]
        header_words = set(header) - {""}
        found: list[Row] = []
        summary = self.sheet_summaries[id(raw)]
        for index in range(match.row + 1, len(raw.rows)):
            cells = raw.rows[index]
            values = [display(cells[i]).strip() for i in match.columns.values() if i < len(cells)]
            filled = [v for v in values if v]
            if not raw.own[index] or not filled:
                continue
            spread = len(set(filled)) == 1 and (len(filled) >= 2 or bool(_NOTE.match(filled[0])))
            first = next(text for v in cells if (text := display(v).strip()))
            repeated = norm(first) in header_words and [norm(v) for v in cells] == header
            if _SKIP.match(first) or spread or repeated:
                summary.skippedRows += 1
                continue
            found.append(Row(RowRef(raw.file, raw.sheet, index + 1), sheet, index))
        summary.rows += len(found)
        return found

    def validate(self, row: Row) -> bool:
        """Check the row's cells. A row with bad cells gets, where its other cells allow, a
        model without them (``row.bad``), so that its references can be checked too."""
        cells = row.sheet.raw.rows[row.index]
        columns = row.sheet.match.columns
        data = {key: cells[i] if i < len(cells) else None for key, i in columns.items()}
        model = row.sheet.kind.model
        try:
            row.model = model.model_validate(data)
        except ValidationError as e:
            for error in e.errors():
                key = str(error["loc"][0]) if error["loc"] else None
                cause = (error.get("ctx") or {}).get("error")
                if isinstance(cause, CellError):
                    problem = Problem(key, cause.reason, cause.code)
                else:
                    problem = Problem(key, f"无法识别：{error['msg']}", "INVALID_VALUE")
                row.bad.add(key or "")
                self.problem(row, problem)
            if row.sheet.kind.partial:
                with contextlib.suppress(ValidationError):
                    row.model = model.model_validate(data | dict.fromkeys(row.bad))
            return False
        return True

    # -- kinds ---------------------------------------------------------------------

    async def check(self, kind: Kind, sheets: list[Sheet]) -> list[RowPlan]:
        rows = [row for sheet in sheets for row in self.rows(sheet)]
        summary = self.summaries[kind.name]
        summary.rows = len(rows)
        valid = [row for row in rows if self.validate(row) or row.model is not None]
        await kind.prepare([row.model for row in valid], self.ctx)
        plans: list[RowPlan] = []
        pending: list[tuple[Row, RowPlan]] = []
        combined = 0  # rows folded into an earlier row of the same entry (``Kind.combine``)
        for number, row in enumerate(valid, 1):
            try:
                plan = kind.plan(row.model, row.ref, self.ctx)
            except Rejected as e:
                for problem in e.problems:
                    if problem.column not in row.bad:
                        self.problem(row, problem)
                continue
            if row.bad:  # planned only to find more problems
                continue
            first = self.seen.get(plan.id)
            earlier = self.first_plans.get(plan.id)
            if first is not None and earlier is not None and kind.combine is not None:
                try:
                    notes = kind.combine(earlier, plan, self.ctx)
                except Rejected as e:
                    for problem in e.problems:
                        self.problem(row, problem)
                    continue
                for note in notes:
                    self.problem(row, note, warning=True)
                combined += 1
                continue
            if first is not None:
                where = (
                    f"第 {first.row} 行"
                    if (first.file, first.sheet) == (row.ref.file, row.ref.sheet)
                    else f"{first.file} {first.sheet or ''} 第 {first.row} 行".replace("  ", " ")
                )
                self.problem(row, Problem(None, f"与{where}重复（同一{kind.title}条目只能出现一次）",
                                          "DUPLICATE"))  # fmt: skip
                continue
            self.seen[plan.id] = row.ref
            if kind.combine is not None:
                self.first_plans[plan.id] = plan
            pending.append((row, plan))
            if self.ctx.places.within is None or len(pending) >= BATCH:
                plans += await self.accept(pending)
                pending = []
            if number % BATCH == 0:
                await asyncio.sleep(0)  # let a server answer other requests meanwhile
                if self.progress:
                    self.progress(Progress("check", kind.name, number, len(valid)))
        plans += await self.accept(pending)
        summary.valid = len(plans) + combined
        return plans

    async def accept(self, pending: list[tuple[Row, RowPlan]]) -> list[RowPlan]:
        """Accept planned rows; in an upload limited to a county (city), first reject
        those that would write a node outside it, as planned or as stored."""
        within = self.ctx.places.within
        refused = {}
        if within is not None and pending:
            ctx = self.ctx
            units = {u.id: u.county for refs in ctx.units.values() for u in refs if u.county}
            owners = {r.id: r.unit for refs in ctx.resources.values() for r in refs}
            plans = [plan for _, plan in pending]
            refused = await confine.outside(ctx.store, plans, within, units, owners)
        accepted: list[RowPlan] = []
        for row, plan in pending:
            problem = refused.get(plan.id)
            if problem is not None:
                self.problem(row, problem)
                continue
            for accept in plan.accepted:
                accept()
            for warning in plan.warnings:
                self.problem(row, warning, warning=True)
            accepted.append(plan)
        return accepted

    async def write(self, kind: Kind, plans: list[RowPlan], batch: int) -> None:
        merge_links(plans)
        summary = self.summaries[kind.name]
        store = self.ctx.store
        for start in range(0, len(plans), batch):
            part = plans[start : start + batch]
            statuses = await write_batch(store, part, self.ctx)
            if kind.after_batch is not None:
                for row_id in await kind.after_batch(store, part, self.ctx):
                    if statuses.get(row_id) == "unchanged":
                        statuses[row_id] = "updated"
            for status in statuses.values():
                setattr(summary, status, getattr(summary, status) + 1)
            if self.progress:
                self.progress(Progress("write", kind.name, start + len(part), len(plans)))
        if kind.after_all is not None and plans:
            await kind.after_all(store, self.ctx)


async def plan_sheets(
    store: Store,
    raws: Sequence[RawSheet],
    report: LoadReport,
    *,
    kind: str | None = None,
    progress: ProgressFn | None = None,
    index: DivisionIndex | None = None,
    within: str | None = None,
    county: str | None = None,
) -> tuple[Load, list[tuple[Kind, list[RowPlan]]]]:
    """Every row checked and planned, per kind in load order; nothing written."""
    report.files = list(dict.fromkeys([*report.files, *(raw.file for raw in raws)]))
    load = Load(await LoadContext.open(store, index, within, county), report, progress)
    sheets = load.classify(raws, kind)
    planned: list[tuple[Kind, list[RowPlan]]] = []
    for roster in KINDS.values():
        mine = [sheet for sheet in sheets if sheet.kind is roster]
        if mine:
            planned.append((roster, await load.check(roster, mine)))
    People.apply([plan for _, plans in planned for plan in plans])
    report.kinds = [load.summaries[roster.name] for roster, _ in planned]
    report._rejected = sorted(load.rejected.values(), key=lambda r: (r.file, r.sheet or "", r.row))
    return load, planned


async def load_sheets(
    store: Store,
    raws: Sequence[RawSheet],
    *,
    kind: str | None = None,
    strict: bool = False,
    dry_run: bool = False,
    progress: ProgressFn | None = None,
    index: DivisionIndex | None = None,
    within: str | None = None,
    county: str | None = None,
    batch_size: int = BATCH,
    report: LoadReport | None = None,
) -> LoadReport:
    """Check every row of the sheets, then write the valid ones (see ``loaders.load_paths``)."""
    started = time.perf_counter()
    report = report or LoadReport()
    report.strict, report.dryRun = strict, dry_run
    load, planned = await plan_sheets(
        store, raws, report, kind=kind, progress=progress, index=index, within=within,
        county=county,
    )  # fmt: skip
    if not dry_run and not (strict and report.errors):
        for roster, plans in planned:
            await load.write(roster, plans, batch_size)
        report.written = True
    report.seconds = round(time.perf_counter() - started, 3)
    return report
