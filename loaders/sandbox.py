"""A roster file parsed in a child process with memory and time limits.

``read_isolated(name, data, limits)`` gives what ``loaders.read.read_bytes`` gives, but
the parser runs in ``python -I loaders/parse_worker.py`` with ``RLIMIT_AS`` (memory),
``RLIMIT_CPU`` and a wall-clock deadline: a parser that allocates too much, aborts,
crashes or loops ends that child only, and the caller gets ``ParseAborted`` (or the
``InvalidInput`` the reader raised), never a dead API.

A child is kept for the next file (starting one costs ~40 ms of CPU): an idle pool of
a few per memory limit, retired after a failure, a large answer or many jobs. A child
ends by itself when this process closes its stdin (or dies).
"""

from __future__ import annotations

import atexit
import logging
import os
import pickle
import select
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from domain.errors import FileTooLarge, FileUnsafe, InvalidInput, ParseAborted
from loaders.limits import RESAVE, SPLIT, FileLimits, check_container
from loaders.read import RawSheet

log = logging.getLogger(__name__)
WORKER = Path(__file__).resolve().parent / "parse_worker.py"
_ERRORS: dict[str, type[InvalidInput]] = {
    cls.__name__: cls for cls in (InvalidInput, FileTooLarge, FileUnsafe, ParseAborted)
}
_HEAD = 8
#: idle children kept per memory limit; jobs before a child is replaced
_IDLE = 2
_JOBS = 200
#: a child whose memory grew past this after a job is replaced
_KEEP_RSS = 256 * 1024 * 1024


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


class _Died(Exception):
    """The child ended (or stopped answering) during a job."""


class _Child:
    def __init__(self, memory_mb: int) -> None:
        self.memory_mb = memory_mb
        self.jobs = 0
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-I", str(WORKER), str(memory_mb)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )

    def ask(self, payload: bytes, seconds: float) -> bytes:
        """Send one job, wait at most ``seconds`` for its answer."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.jobs += 1
        try:
            self.process.stdin.write(len(payload).to_bytes(_HEAD, "little") + payload)
            self.process.stdin.flush()
        except (BrokenPipeError, OSError) as e:
            raise _Died from e
        deadline = time.monotonic() + seconds
        fd = self.process.stdout.fileno()
        head = self._read(fd, _HEAD, deadline)
        return self._read(fd, int.from_bytes(head, "little"), deadline)

    def _read(self, fd: int, size: int, deadline: float) -> bytes:
        parts: list[bytes] = []
        while size:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise TimeoutError
            chunk = os.read(fd, min(size, 1 << 20))
            if not chunk:
                raise _Died
            parts.append(chunk)
            size -= len(chunk)
        return b"".join(parts)

    def rss(self) -> int:
        try:
            status = Path(f"/proc/{self.process.pid}/status").read_text()
        except OSError:
            return 0
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
        return 0

    def stop(self) -> int | None:
        """End the child; its exit status (negative: the signal that ended it)."""
        if self.process.poll() is None:
            self.process.kill()
        try:
            return self.process.wait(5)
        finally:
            for stream in (self.process.stdin, self.process.stdout):
                if stream is not None:
                    stream.close()


_idle: dict[int, list[_Child]] = {}
_lock = threading.Lock()


def _take(memory_mb: int) -> _Child:
    with _lock:
        pool = _idle.get(memory_mb, [])
        while pool:
            child = pool.pop()
            if child.process.poll() is None:
                return child
            child.stop()
    return _Child(memory_mb)


def _give_back(child: _Child) -> None:
    if child.jobs >= _JOBS or child.rss() > _KEEP_RSS:
        child.stop()
        return
    with _lock:
        pool = _idle.setdefault(child.memory_mb, [])
        if len(pool) < _IDLE:
            pool.append(child)
            return
    child.stop()


@atexit.register
def _stop_idle() -> None:
    with _lock:
        children = [child for pool in _idle.values() for child in pool]
        _idle.clear()
    for child in children:
        child.stop()


def read_isolated(name: str, data: bytes, limits: FileLimits) -> list[RawSheet]:
    """The sheets of one file, parsed in a child process under ``limits``."""
    check_container(name, data, limits)
    payload = pickle.dumps((name, data, limits), protocol=pickle.HIGHEST_PROTOCOL)
    child = _take(limits.parse_memory_mb)
    try:
        answer = pickle.loads(child.ask(payload, limits.parse_timeout_seconds))  # noqa: S301
    except TimeoutError as e:
        child.stop()
        log.warning("parser stopped after %s s (wall clock)", limits.parse_timeout_seconds)
        raise _time(name, limits.parse_timeout_seconds) from e
    except _Died as e:
        code = child.stop()
        log.warning("parser ended with status %s", code)
        if code in (-signal.SIGXCPU, -signal.SIGKILL):
            raise _time(name, limits.parse_cpu_seconds) from e
        if code == -signal.SIGABRT:  # Rust's answer to a failed allocation
            raise _memory(name, limits) from e
        raise _unreadable(name) from e
    if answer[0] == "ok":
        _give_back(child)
        sheets: list[RawSheet] = answer[1]
        return sheets
    _, kind, message = answer
    if kind in ("ParseAborted", "Unreadable"):
        child.stop()  # a parser failed inside it: not trusted with the next file
    else:
        _give_back(child)
    if kind == "ParseAborted" and message == "memory":
        raise _memory(name, limits)
    if kind == "Unreadable":
        log.warning("parser raised %s", message)
        raise _unreadable(name)
    raise _ERRORS.get(kind, InvalidInput)(message, file=name)
