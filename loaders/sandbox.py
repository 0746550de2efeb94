"""A roster file parsed in a child process with memory and time limits.

``read_isolated(name, data, limits)`` gives what ``loaders.read.read_bytes`` gives, but
the parser runs in ``python -I loaders/parse_worker.py`` with ``RLIMIT_AS`` (memory),
``RLIMIT_CPU`` and a wall-clock deadline: a parser that allocates too much, aborts,
crashes or loops ends that child only, and the caller gets ``ParseAborted`` (or the
``InvalidInput`` the reader raised), never a dead API.
"""

from __future__ import annotations

import logging
import pickle
import signal
import subprocess
import sys
from pathlib import Path

from domain.errors import FileTooLarge, FileUnsafe, InvalidInput, ParseAborted
from loaders.limits import RESAVE, SPLIT, FileLimits, check_container
from loaders.read import RawSheet

log = logging.getLogger(__name__)
WORKER = Path(__file__).resolve().parent / "parse_worker.py"
_ERRORS: dict[str, type[InvalidInput]] = {
    cls.__name__: cls for cls in (InvalidInput, FileTooLarge, FileUnsafe, ParseAborted)
}


def _memory(name: str, limits: FileLimits) -> ParseAborted:
    return ParseAborted(
        f"读取文件 {name} 需要的内存超过上限 {limits.parse_memory_mb:,} MB，已停止：{SPLIT}，"
        f"或{RESAVE} ({name}: the parser needed more than {limits.parse_memory_mb} MB)",
        file=name,
        limit=limits.parse_memory_mb,
    )


def _time(name: str, seconds: int) -> ParseAborted:
    return ParseAborted(
        f"读取文件 {name} 超过 {seconds} 秒，已停止：{SPLIT} "
        f"({name}: parsing took longer than {seconds} s)",
        file=name,
        limit=seconds,
    )


def _unreadable(name: str) -> InvalidInput:
    return InvalidInput(
        f"无法读取文件 {name}：读取程序解析失败（文件已损坏，或单元格范围异常），{RESAVE} "
        f"({name}: the spreadsheet reader failed on this file)",
        file=name,
    )


def read_isolated(name: str, data: bytes, limits: FileLimits) -> list[RawSheet]:
    """The sheets of one file, parsed in a child process under ``limits``."""
    check_container(name, data, limits)
    payload = pickle.dumps((name, data, limits), protocol=pickle.HIGHEST_PROTOCOL)
    try:
        done = subprocess.run(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-I", str(WORKER)],
            input=payload,
            capture_output=True,
            timeout=limits.parse_timeout_seconds,
            check=False,
        )
    except subprocess.TimeoutExpired as e:
        log.warning("parser stopped after %s s (wall clock)", limits.parse_timeout_seconds)
        raise _time(name, limits.parse_timeout_seconds) from e
    if done.returncode != 0 or not done.stdout:
        code = done.returncode
        log.warning("parser ended with status %s", code)
        if code in (-signal.SIGXCPU, -signal.SIGKILL):
            raise _time(name, limits.parse_cpu_seconds)
        if code == -signal.SIGABRT or b"MemoryError" in done.stderr or b"memory" in done.stderr:
            raise _memory(name, limits)
        raise _unreadable(name)
    answer = pickle.loads(done.stdout)  # noqa: S301 - written by our own worker
    if answer[0] == "ok":
        sheets: list[RawSheet] = answer[1]
        return sheets
    _, kind, message = answer
    if kind == "ParseAborted" and message == "memory":
        raise _memory(name, limits)
    if kind == "Unreadable":
        log.warning("parser raised %s", message)
        raise _unreadable(name)
    raise _ERRORS.get(kind, InvalidInput)(message, file=name)
