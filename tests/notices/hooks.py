"""A receiver process for webhook tests, and what it recorded."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from notices.webhooks import Webhook, verify

RECEIVER = Path(__file__).resolve().parent / "receiver.py"
SECRET = "a-test-secret-of-32-characters!!"


@dataclass
class Receiver:
    port: int
    log: Path
    failures: int = 0
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def hook(self, name: str, **options: Any) -> Webhook:
        return Webhook(name, f"{self.url}/{name}", SECRET, **options)

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(RECEIVER), str(self.port), str(self.log), str(self.failures)],
            stdout=subprocess.PIPE,
        )
        assert self.process.stdout is not None
        assert self.process.stdout.readline().strip() == b"ready"
        deadline = time.monotonic() + 10
        while True:
            try:
                httpx.get(self.url, timeout=1)
                return
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the receiver did not start"
                time.sleep(0.05)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()
        if self.process is not None and self.process.stdout is not None:
            self.process.stdout.close()
        self.process = None

    def records(self) -> list[dict[str, Any]]:
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text("utf-8").splitlines() if line]

    def accepted(self, path: str) -> dict[str, int]:
        """notice id -> how many 2xx answers the hook at ``path`` got for it"""
        counts: dict[str, int] = {}
        for record in self.records():
            if record["path"] == path and record["status"] == 200:
                counts[record["key"]] = counts.get(record["key"], 0) + 1
        return counts


@contextmanager
def receiver(folder: Path, port: int, failures: int = 0) -> Iterator[Receiver]:
    found = Receiver(port, folder / f"received-{port}.jsonl", failures)
    found.start()
    try:
        yield found
    finally:
        found.kill()


def check_signed(records: list[dict[str, Any]]) -> None:
    """Every post verifies with the secret and carries its notice's id as its key."""
    for record in records:
        body = record["body"].encode("utf-8")
        assert verify(SECRET, body, record["signature"]), record
        assert json.loads(body)["id"] == record["key"]
        assert record["timestamp"].isdigit()
