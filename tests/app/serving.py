"""`gongjian serve` as a real process: start it, wait until it answers, stop it;
its stdout and stderr kept in files the tests read."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.http_server import free_port

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Served:
    url: str
    process: subprocess.Popen[bytes]
    stdout: Path
    stderr: Path

    def output(self) -> str:
        return self.stdout.read_text(errors="replace") + self.stderr.read_text(errors="replace")

    def demo_token(self) -> str | None:
        """The demo token where a serve that is not on a terminal puts it."""
        found = re.search(r"demo token written to (\S+)", self.stdout.read_text())
        return Path(found[1]).read_text().strip() if found else None


def start(
    logs: Path, *args: str, env: dict[str, str] | None = None, port: int | None = None
) -> tuple[subprocess.Popen[bytes], Path, Path, int]:
    port = port if port is not None else free_port()
    logs.mkdir(parents=True, exist_ok=True)
    stamp = f"{time.monotonic_ns()}"
    stdout, stderr = logs / f"out-{stamp}.log", logs / f"err-{stamp}.log"
    with stdout.open("wb") as out, stderr.open("wb") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--port", str(port), *args],
            env={**os.environ, **(env or {})},
            stdout=out,
            stderr=err,
            cwd=ROOT,
        )
    return process, stdout, stderr, port


def wait_ready(served: Served, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if served.process.poll() is not None:
            raise AssertionError(f"gongjian serve exited: {served.output()[-3000:]}")
        try:
            if httpx.get(f"{served.url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError("gongjian serve did not become ready")
        time.sleep(0.2)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise


@contextmanager
def gongjian(logs: Path, *args: str, env: dict[str, str] | None = None) -> Iterator[Served]:
    """``gongjian serve ARGS`` until the block ends."""
    process, stdout, stderr, port = start(logs, *args, env=env)
    served = Served(f"http://127.0.0.1:{port}", process, stdout, stderr)
    try:
        wait_ready(served)
        yield served
    finally:
        stop(process)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"
