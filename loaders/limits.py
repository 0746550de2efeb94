"""How big a roster file may be, and the checks that need no parser.

Roster files come from outside: a 4.7 KB .xlsx whose one cell sits at XFD1048576
asks the spreadsheet reader for 512 GiB. Every file is measured before it is parsed
(bytes; for a zip, its entries from the central directory; for an OLE file, its header)
and then parsed in a child process with memory and time limits (``loaders.sandbox``).

    >>> FileLimits().max_rows
    200000
"""

from __future__ import annotations

import io
import struct
import zipfile
from dataclasses import dataclass

from domain.errors import FileTooLarge, FileUnsafe, InvalidInput

MIB = 1024 * 1024
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: an entry smaller than this may compress as well as it likes (empty sheets do)
_RATIO_FLOOR = MIB


@dataclass(frozen=True)
class FileLimits:
    """Limits on one roster file; ``app.settings`` reads them from GONGJIAN_FILE_* and
    GONGJIAN_PARSE_*."""

    max_file_bytes: int = 20 * MIB
    #: an .xlsx's entries, inflated: all together, and each one
    max_uncompressed_bytes: int = 256 * MIB
    max_entry_bytes: int = 128 * MIB
    #: inflated / compressed, for entries of 1 MiB or more
    max_compression_ratio: int = 300
    max_entries: int = 1_000
    #: per sheet: rows and columns of the extent a reader allocates, and their product
    max_rows: int = 200_000
    max_columns: int = 1_024
    max_cells: int = 5_000_000
    #: Excel's own limit for one cell
    max_cell_chars: int = 32_767
    max_line_bytes: int = MIB
    #: the parsing child process: address space, CPU seconds, wall-clock seconds
    parse_memory_mb: int = 1_536
    parse_cpu_seconds: int = 40
    parse_timeout_seconds: int = 45


def too_large(
    name: str, what: str, value: int, limit: int, unit: str, *, hint: str
) -> FileTooLarge:
    """The error for one limit: what was found, the limit, and what to do (Chinese, English)."""
    return FileTooLarge(
        f"文件 {name} {what}{value:,}{unit}，超过上限 {limit:,}{unit}：{hint} "
        f"({name}: {value:,} over the limit of {limit:,})",
        file=name,
        value=value,
        limit=limit,
    )


SPLIT = "请拆分为多个文件后分别导入"
RESAVE = "请用 Excel 或 WPS 打开后另存为 .xlsx 再导入"


def check_container(name: str, data: bytes, limits: FileLimits, *, size: int | None = None) -> None:
    """Refuse a file whose bytes, zip directory or OLE header is over a limit or damaged
    (``size``: the file's size, when its bytes are not read).

    Cheap and parser-free: it reads the zip central directory, never an entry."""
    size = len(data) if size is None else size
    if size > limits.max_file_bytes:
        raise too_large(name, "有 ", size, limits.max_file_bytes, " 字节", hint=SPLIT)
    if data.startswith(_ZIP):
        check_zip(name, data, limits)
    elif data.startswith(_OLE):
        check_ole(name, data)


def check_zip(name: str, data: bytes, limits: FileLimits) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as e:
        raise InvalidInput(
            f"无法读取 Excel 文件 {name}：文件已损坏或不完整（不是有效的 .xlsx），{RESAVE} "
            f"({name}: a damaged or incomplete .xlsx)",
            file=name,
        ) from e
    if len(entries) > limits.max_entries:
        raise too_large(name, "内含 ", len(entries), limits.max_entries, " 个部件", hint=RESAVE)
    total = 0
    for entry in entries:
        check_entry(name, entry.filename, entry.file_size, entry.compress_size, limits)
        total += entry.file_size
        if total > limits.max_uncompressed_bytes:
            raise too_large(name, "解压后超过 ", total, limits.max_uncompressed_bytes, " 字节",
                            hint=SPLIT)  # fmt: skip


def check_entry(name: str, entry: str, size: int, compressed: int, limits: FileLimits) -> None:
    """One zip entry's inflated size and compression ratio (declared or measured)."""
    if size > limits.max_entry_bytes:
        raise too_large(name, f"的部件 {entry} 解压后有 ", size, limits.max_entry_bytes, " 字节",
                        hint=SPLIT)  # fmt: skip
    if size >= _RATIO_FLOOR and size > limits.max_compression_ratio * max(compressed, 1):
        raise FileUnsafe(
            f"文件 {name} 的部件 {entry} 压缩比为 {size // max(compressed, 1):,}:1，超过上限 "
            f"{limits.max_compression_ratio}:1（疑似压缩炸弹）：{RESAVE} "
            f"({name}: compression ratio over {limits.max_compression_ratio}:1, a zip bomb?)",
            file=name,
        )


def check_ole(name: str, data: bytes) -> None:
    """An .xls (OLE compound file) header that a reader can trust: sector size, counts."""
    damaged = InvalidInput(
        f"无法读取 Excel 文件 {name}：文件已损坏或不完整（不是有效的 .xls），{RESAVE} "
        f"({name}: a damaged or incomplete .xls)",
        file=name,
    )
    if len(data) < 512:
        raise damaged
    major, _, sector_shift, mini_shift = struct.unpack_from("<HHHH", data, 26)
    # number of FAT sectors, first directory sector, transaction, mini cut-off,
    # first mini FAT sector, number of mini FAT sectors, first DIFAT sector, number of DIFAT
    fat_sectors, _, _, _, mini_start, mini_count, _, difat_count = struct.unpack_from(
        "<IIIIIIII", data, 44
    )
    if (major, sector_shift) not in {(3, 9), (4, 12)} or mini_shift != 6:
        raise damaged
    sectors = len(data) // (1 << sector_shift) + 1
    if (
        fat_sectors > sectors
        or difat_count > sectors
        or (mini_count > sectors and mini_start != 0xFFFFFFFE)
    ):
        raise damaged
