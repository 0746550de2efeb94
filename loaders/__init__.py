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

from divisions import DivisionIndex, Level
from domain.errors import InvalidInput
from graph.store import Store
from loaders.kinds import KINDS, ROSTER_KINDS
from loaders.limits import FileLimits, check_container
from loaders.read import RawSheet, roster_files
from loaders.report import KindSummary, LoadReport, RowError, SheetSummary
from loaders.run import BATCH, Progress, ProgressFn, load_sheets
from loaders.sandbox import read_isolated
from loaders.template import write_template

__all__ = [
    "ROSTER_KINDS",
    "FileLimits",
    "KindSummary",
    "LoadReport",
    "Progress",
    "RowError",
    "SheetSummary",
    "county_code",
    "load_folder",
    "load_paths",
    "load_upload",
    "write_template",
]


def _check_kind(kind: str | None) -> None:
    if kind is not None and kind not in KINDS:
        raise InvalidInput(f"未知的名册类型 {kind}：可选 {', '.join(ROSTER_KINDS)}", kind=kind)


def county_code(text: str, index: DivisionIndex | None = None) -> str:
    """The 12-digit code of a county-level division named by ``text``: 纳溪区, a code
    (510503), or the name after its province or city (四川省泸州市纳溪区, 泸州市 纳溪区)."""
    index = index or DivisionIndex.default()
    text = "".join(text.split())
    if text.isdigit():
        found = index.by_code(text) if len(text) in (6, 12) else None
        if found is not None and found.level is Level.COUNTY:
            return found.code
        raise InvalidInput(f"{text} 不是县级区划代码（6 或 12 位）", county=text)
    result = index.county(text)
    for cut in range(2, len(text) - 1):
        if result.ok:
            break
        hinted = index.county(text[cut:], text[:cut])
        if hinted.ok:
            result = hinted
    if not result.ok:
        raise InvalidInput(f"--county：{result.reason}", county=text)
    return result.unwrap().code


def _name(path: Path, files: Sequence[Path]) -> str:
    """A file as reports name it: its name, or folder/name when two files share a name."""
    if sum(1 for other in files if other.name == path.name) > 1:
        return f"{path.parent.name}/{path.name}"
    return path.name


def _read(
    files: Sequence[tuple[str, Path | bytes]], report: LoadReport, limits: FileLimits
) -> list[RawSheet]:
    """Each file parsed in a child process under ``limits``; a refused file is one error."""
    sheets: list[RawSheet] = []
    for name, source in files:
        try:
            if isinstance(source, Path):
                size = source.stat().st_size
                if size > limits.max_file_bytes:  # not read into memory at all
                    check_container(name, b"", limits, size=size)
                data = source.read_bytes()
            else:
                data = source
            sheets += read_isolated(name, data, limits)
        except InvalidInput as e:
            report.files.append(name)
            code = "UNREADABLE_FILE" if e.code == InvalidInput.code else e.code
            report.errors.append(RowError(file=name, reason=e.message, code=code))
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
    county: str | None = None,
    limits: FileLimits | None = None,
) -> LoadReport:
    """Load roster files (folders are expanded), kinds in ``ROSTER_KINDS`` order.

    ``kind`` forces the roster kind of every sheet; ``strict`` writes nothing if any row
    is bad; ``dry_run`` checks and writes nothing; ``progress`` is called per batch;
    ``county`` (a name such as 纳溪区 or 泸州市纳溪区, or a code) is the county of rows
    that name none.
    ``limits`` bound each file (``FileLimits()`` unless given).
    """
    _check_kind(kind)
    default = county_code(county, index) if county else None
    report = LoadReport()
    files = await asyncio.to_thread(roster_files, [Path(p) for p in paths])
    named = [(_name(path, files), path) for path in files]
    sheets = await asyncio.to_thread(_read, named, report, limits or FileLimits())
    return await load_sheets(store, sheets, kind=kind, strict=strict, dry_run=dry_run,
                             progress=progress, index=index, batch_size=batch_size,
                             report=report, county=default)  # fmt: skip


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
    limits: FileLimits | None = None,
) -> LoadReport:
    """Load one uploaded file (its name tells .xlsx/.xls/.csv apart): the GraphQL mutation.
    ``within`` (a county code) rejects every row that names a place outside that county."""
    _check_kind(kind)
    report = LoadReport()
    sheets = await asyncio.to_thread(_read, [(filename, data)], report, limits or FileLimits())
    return await load_sheets(store, sheets, kind=kind, strict=strict, dry_run=dry_run,
                             index=index, report=report, within=within)  # fmt: skip
