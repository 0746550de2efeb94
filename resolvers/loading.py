"""Rosters uploaded over GraphQL: the same loaders as the command line."""

from __future__ import annotations

from domain.errors import InvalidInput
from loaders import ROSTER_KINDS, load_upload
from loaders.refine import refine_in_background
from loaders.report import LoadReport
from resolvers.context import Context
from resolvers.mutate import Target, perform_load

SUFFIXES = (".xlsx", ".xls", ".csv")


async def load(
    ctx: Context, filename: str, data: bytes, *, kind: str | None, strict: bool, dry_run: bool
) -> LoadReport:
    """Validate and (unless ``dry_run``) write an uploaded roster; the report lists every
    rejected row with its sheet, row number, column, value and reason."""
    if not filename.lower().endswith(SUFFIXES):
        raise InvalidInput(
            f"只接受 .xlsx、.xls 或 .csv 文件，收到 {filename!r} (upload a spreadsheet)",
            field="file",
        )
    limit = ctx.file_limits.max_file_bytes
    if len(data) > limit:
        raise InvalidInput(
            f"文件有 {len(data):,} 字节，超过上限 {limit:,} 字节：请拆分后分批上传 "
            f"(upload over {limit:,} bytes)",
            field="file",
        )
    if kind is not None and kind not in ROSTER_KINDS:
        raise InvalidInput(f"未知的名册类型 {kind}：可选 {', '.join(ROSTER_KINDS)}", field="kind")
    # a roster is loaded into the caller's county (the policy allows county admins)
    county = ctx.principal.county
    target = Target(
        "Roster",
        None,
        codes=(county,) if county else (),
        details={"file": filename, "kind": kind, "dryRun": dry_run},
    )

    async def run() -> LoadReport:
        return await load_upload(
            ctx.store, filename, data, kind=kind, strict=strict, dry_run=dry_run, within=county,
            limits=ctx.file_limits,
        )  # fmt: skip

    def summary(report: LoadReport) -> dict[str, object]:
        return {
            "file": filename,
            "written": report.written,
            "kinds": [k.model_dump() for k in report.kinds],
        }

    report = await perform_load(ctx, target, run, after=summary)
    if report.written and any(w.code == "INFERRED_CATEGORY" for w in report.warnings):
        # categories inferred lexically are refined after the load, in the background
        refine_in_background(ctx.store)
    return report
