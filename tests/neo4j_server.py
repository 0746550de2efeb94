"""Real Neo4j 5 Community servers for the tests (tools/neo4j-server), started on demand.

Neo4j Community holds one user database per server, so each graph the tests need at the
same time (the read-only demo, the per-test graph, a second per-test graph) is a server
of its own. Each is a child JVM with a pipe on its stdin: if pytest dies, the pipe
closes and the server stops itself.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[1]
JAR = Path(
    os.environ.get("GONGJIAN_NEO4J_SERVER_JAR")
    or ROOT / "tools" / "neo4j-server" / "target" / "neo4j-server.jar"
)
#: a server's heap; the machines have 2 cores and share memory with other work
JAVA_OPTIONS = ("-Xms256m", "-Xmx1g", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")
START_SECONDS = 180


class Neo4jServer:
    """One Neo4j server process; ``uri`` once ``wait()`` returned."""

    def __init__(self, name: str, log_dir: Path) -> None:
        java = shutil.which("java")
        if java is None or not JAR.exists():
            raise RuntimeError(
                f"no Neo4j test server: {'java is missing' if java is None else f'{JAR} is missing'}"
                " — run `bash scripts/install --dev` (it builds tools/neo4j-server), or set "
                "GONGJIAN_TEST_BACKENDS=falkordb to run on FalkorDB alone (never in CI)"
            )
        self.name = name
        self.log_path = log_dir / f"neo4j-{name}.log"
        self._log: IO[bytes] = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [java, *JAVA_OPTIONS, "-jar", str(JAR)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
        )
        self._line: list[bytes] = []
        self._reader = threading.Thread(target=self._read_first_line, daemon=True)
        self._reader.start()
        self.uri = ""

    def _read_first_line(self) -> None:
        assert self.process.stdout is not None
        self._line.append(self.process.stdout.readline())

    def wait(self) -> str:
        """Block until the server answers; its ``bolt://127.0.0.1:PORT``."""
        if self.uri:
            return self.uri
        self._reader.join(START_SECONDS)
        line = self._line[0].decode() if self._line else ""
        if not line.startswith("BOLT "):
            self.stop()
            tail = self.log_path.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"the Neo4j test server {self.name} did not start: {line!r}\n{tail}")
        self.uri = line.split()[1]
        return self.uri

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
        self.close()

    def close(self) -> None:
        """Wait for a terminated server (a minute at most, then kill it)."""
        if self.process.poll() is None:
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                pipe.close()
        self._log.close()


class Neo4jServers:
    """Servers by role, started the first time a role is asked for."""

    def __init__(self, log_dir: Path) -> None:
        self._log_dir = log_dir
        self._servers: dict[str, Neo4jServer] = {}

    def start(self, *names: str) -> None:
        """Start servers without waiting for them (they boot in parallel)."""
        for name in names:
            if name not in self._servers:
                self._servers[name] = Neo4jServer(name, self._log_dir)

    def url(self, name: str) -> str:
        """A ``GONGJIAN_DB`` URL for the server of this role (auth is off: any password)."""
        self.start(name)
        bolt = self._servers[name].wait()
        return "neo4j://neo4j:test@" + bolt.removeprefix("bolt://")

    def stop(self) -> None:
        for server in self._servers.values():  # they shut down in parallel
            if server.process.poll() is None:
                server.process.terminate()
        for server in self._servers.values():
            server.close()
        self._servers.clear()
