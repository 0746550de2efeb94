"""Roster loaders: department spreadsheets (.xlsx, .xls, .csv) into the graph.

Every row is checked; valid rows are written once (MERGE on natural keys, so a
second load of the same file changes nothing); every rejected row is reported
with its file, sheet, row, column, value and a reason in Chinese::

    report = await load_folder(store, Path("app/demo_rosters/hejiang"))
    report.exitCode      # 0: every row loaded; 3: some were rejected
    report.write_xlsx(Path("问题.xlsx"))
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

from divisions import DivisionIndex
from domain.errors import InvalidInput
from graph.store import Store
from loaders.kinds import KINDS, ROSTER_KINDS
from loaders.read import RawSheet, read_bytes, roster_files
from loaders.report import KindSummary, LoadReport, RowError, SheetSummary
from loaders.run import BATCH, Progress, ProgressFn, load_sheets
from loaders.template import write_template

__all__ = [
    "ROSTER_KINDS",
    "KindSummary",
    "LoadReport",
    "Progress",
    "RowError",
    "SheetSummary",
    "load_folder",
    "load_paths",
    "load_upload",
    "write_template",
]


def _check_kind(kind: str | None) -> None:
    if kind is not None and kind not in KINDS:
        raise InvalidInput(f"未知的名册类型 {kind}：可选 {', '.join(ROSTER_KINDS)}", kind=kind)


def _name(path: Path, files: Sequence[Path]) -> str:
    """A file as reports name it: its name, or folder/name when two files share a name."""
    if sum(1 for other in files if other.name == path.name) > 1:
        return f"{path.parent.name}/{path.name}"
    return path.name


def _read(files: Sequence[tuple[str, Path | bytes]], report: LoadReport) -> list[RawSheet]:
    sheets: list[RawSheet] = []
    for name, source in files:
        try:
            data = source.read_bytes() if isinstance(source, Path) else source
            sheets += read_bytes(name, data)
        except InvalidInput as e:
            report.files.append(name)
            report.errors.append(RowError(file=name, reason=e.message, code="UNREADABLE_FILE"))
        except OSError as e:
            report.files.append(name)
            reason = f"无法打开文件 {name}：{e.strerror or e}"
            report.errors.append(RowError(file=name, reason=reason, code="UNREADABLE_FILE"))
    return sheets


async def load_paths(
    store: Store,
    paths: Sequence[Path],
    *,
    kind: str | None = None,
    strict: bool = False,
    dry_run: bool = False,
    progress: ProgressFn | None = None,
    index: DivisionIndex | None = None,
    batch_size: int = BATCH,
) -> LoadReport:
    """Load roster files (folders are expanded), kinds in ``ROSTER_KINDS`` order.

    ``kind`` forces the roster kind of every sheet; ``strict`` writes nothing if any row
    is bad; ``dry_run`` checks and writes nothing; ``progress`` is called per batch.
    """
    _check_kind(kind)
    report = LoadReport()
    files = await asyncio.to_thread(roster_files, [Path(p) for p in paths])
    sheets = await asyncio.to_thread(_read, [(_name(path, files), path) for path in files], report)
    return await load_sheets(store, sheets, kind=kind, strict=strict, dry_run=dry_run,
                             progress=progress, index=index, batch_size=batch_size,
                             report=report)  # fmt: skip


async def load_folder(
    store: Store,
    folder: Path,
    *,
    kind: str | None = None,
    strict: bool = False,
    dry_run: bool = False,
    progress: ProgressFn | None = None,
    index: DivisionIndex | None = None,
) -> LoadReport:
    """Load every roster file of a folder (.xlsx, .xls, .csv), e.g. ``app/demo_rosters/hejiang``."""
    if not await asyncio.to_thread(Path(folder).is_dir):
        raise InvalidInput(f"不是目录：{folder}", path=str(folder))
    return await load_paths(store, [folder], kind=kind, strict=strict, dry_run=dry_run,
                            progress=progress, index=index)  # fmt: skip


async def load_upload(
    store: Store,
    filename: str,
    data: bytes,
    *,
    kind: str | None = None,
    strict: bool = False,
    dry_run: bool = False,
    index: DivisionIndex | None = None,
    within: str | None = None,
) -> LoadReport:
    """Load one uploaded file (its name tells .xlsx/.xls/.csv apart): the GraphQL mutation.
    ``within`` (a county code) rejects every row that names a place outside that county."""
    _check_kind(kind)
    report = LoadReport()
    sheets = await asyncio.to_thread(_read, [(filename, data)], report)
    return await load_sheets(store, sheets, kind=kind, strict=strict, dry_run=dry_run,
                             index=index, report=report, within=within)  # fmt: skip
