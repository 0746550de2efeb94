"""Roster upload (multipart) and its report."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import strawberry
from strawberry.file_uploads import Upload

from loaders.report import KindSummary as KindSummaryModel
from loaders.report import LoadReport as LoadReportModel
from loaders.report import RowError as RowErrorModel
from loaders.report import SheetSummary as SheetSummaryModel
from resolvers import loading as resolve
from resolvers.context import Context
from schema.common import (
    ForbiddenError,
    InvalidInputError,
    UnauthenticatedError,
    outcome,
)
from schema.convert import from_model

Info = strawberry.Info[Context, None]


@strawberry.enum(description="名册类型")
class RosterKind(Enum):
    DIVISIONS = "divisions"
    UNITS = "units"
    RESOURCES = "resources"
    DEMANDS = "demands"
    BUILDINGS = "buildings"
    ROLES = "roles"
    MEMBERS = "members"
    PROJECTS = "projects"


@strawberry.type(description="a rejected (or flagged) cell, as the sender sees it in Excel")
class RowError:
    file: str
    sheet: str | None
    row: int | None = strawberry.field(description="the row number in the spreadsheet")
    column: str | None = strawberry.field(description="the column's header")
    column_letter: str | None = strawberry.field(description="the column's letter in Excel")
    value: str | None
    reason: str = strawberry.field(description="what is wrong and what to write instead")
    code: str
    kind: str | None


@strawberry.type
class KindSummary:
    kind: str
    title: str
    rows: int
    valid: int
    created: int
    updated: int
    unchanged: int
    rejected: int


@strawberry.type(description="a header read as the known column it resembles (挂点社区 → 联系社区)")
class ColumnReading:
    written: str = strawberry.field(description="the header as the sheet writes it")
    read_as: str = strawberry.field(description="the header of the column it was read as")


@strawberry.type(
    description="one sheet of a load: which roster it was and how its columns were read"
)
class SheetSummary:
    file: str
    sheet: str | None
    kind: str | None = strawberry.field(description="the roster kind; null: not a roster")
    header_row: int | None = strawberry.field(description="the header's row number in Excel")
    rows: int
    ignored_columns: list[str] = strawberry.field(
        description="columns no roster kind reads: their content was not loaded"
    )
    read_as: list[ColumnReading] = strawberry.field(
        description="headers not known as written, read as the column they resemble: check them"
    )


@strawberry.type(description="what a load did: per kind, and every rejected row")
class LoadReport:
    files: list[str]
    sheets: list[SheetSummary]
    kinds: list[KindSummary]
    errors: list[RowError]
    warnings: list[RowError]
    strict: bool
    dry_run: bool
    written: bool = strawberry.field(description="false for a dry run or a refused strict load")
    rows: int
    rejected_rows: int
    ok: bool


def _error(model: RowErrorModel) -> RowError:
    return from_model(RowError, model)


def _summary(model: KindSummaryModel) -> KindSummary:
    return from_model(KindSummary, model)


def _sheet(model: SheetSummaryModel) -> SheetSummary:
    readings = [ColumnReading(written=w, read_as=k) for w, k in model.readAs.items()]
    return from_model(SheetSummary, model, read_as=readings)


def report_object(model: LoadReportModel) -> LoadReport:
    return LoadReport(
        files=model.files,
        sheets=[_sheet(s) for s in model.sheets],
        kinds=[_summary(k) for k in model.kinds],
        errors=[_error(e) for e in model.errors],
        warnings=[_error(e) for e in model.warnings],
        strict=model.strict,
        dry_run=model.dryRun,
        written=model.written,
        rows=model.rows,
        rejected_rows=model.rejectedRows,
        ok=model.ok,
    )


LoadResult = Annotated[
    LoadReport | InvalidInputError | ForbiddenError | UnauthenticatedError,
    strawberry.union("LoadResult"),
]


@strawberry.type
class LoadingMutation:
    @strawberry.mutation(
        description="Load a roster (.xlsx, .xls, .csv) sent as a multipart upload; "
        "the report says what was written and why each rejected row was refused"
    )
    async def load_roster(
        self,
        info: Info,
        file: Upload,
        kind: RosterKind | None = None,
        strict: bool = False,
        dry_run: bool = False,
    ) -> LoadResult:
        try:
            data = await file.read()  # type: ignore[attr-defined]
        finally:
            await file.close()  # type: ignore[attr-defined]
        work = resolve.load(
            info.context,
            file.filename,  # type: ignore[attr-defined]
            data,
            kind=kind.value if kind else None,
            strict=strict,
            dry_run=dry_run,
        )
        return await outcome(work, report_object)  # type: ignore[return-value]
