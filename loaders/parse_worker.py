"""The child process that parses roster files, under memory and CPU limits.

``loaders.sandbox`` starts it as ``python -I loaders/parse_worker.py MEMORY_MB`` and keeps
it for the next file. Each job is a frame on stdin (8 bytes of length, then a pickled
``(name, data, limits)``); each answer a frame on stdout: ``("ok", sheets)`` or
``("error", class name, message)``. Whatever the parser does to this process (an
allocation of 512 GiB, an abort, a loop) stays in it; it ends when stdin closes.
"""

from __future__ import annotations

import gc
import pickle
import resource
import sys
import types
from pathlib import Path
from typing import Any, BinaryIO

ROOT = Path(__file__).resolve().parent.parent
MIB = 1024 * 1024
_HEAD = 8


def _package() -> None:
    """Import ``loaders.read`` without the package's ``__init__`` (the graph, the
    division index): a tenth of the start-up time."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    if "loaders" not in sys.modules:
        package = types.ModuleType("loaders")
        package.__path__ = [str(ROOT / "loaders")]
        sys.modules["loaders"] = package


def _cpu_limit(seconds: int) -> None:
    """``seconds`` more CPU time from now: SIGXCPU ends the process past it."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    used = int(usage.ru_utime + usage.ru_stime) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (used + seconds, resource.RLIM_INFINITY))


def _answer(name: str, data: bytes, limits: Any) -> tuple[object, ...]:
    from domain.errors import GongjianError  # noqa: PLC0415
    from loaders.read import read_bytes  # noqa: PLC0415

    try:
        return ("ok", read_bytes(name, data, limits))
    except GongjianError as e:
        return ("error", type(e).__name__, e.message)
    except MemoryError:
        return ("error", "ParseAborted", "memory")
    except Exception as e:  # noqa: BLE001 - a parser's own failure on a hostile file
        return ("error", "Unreadable", type(e).__name__)
    except BaseException as e:  # a Rust panic arrives as a BaseException
        if isinstance(e, (SystemExit, KeyboardInterrupt)):
            raise
        return ("error", "Unreadable", type(e).__name__)


def _read(stream: BinaryIO, size: int) -> bytes | None:
    data = stream.read(size)
    return data if data is not None and len(data) == size else None


def main() -> int:
    _package()
    import loaders.read  # noqa: F401, PLC0415 - imported once, before the limits

    memory = int(sys.argv[1]) * MIB
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while (head := _read(stdin, _HEAD)) is not None:
        payload = _read(stdin, int.from_bytes(head, "little"))
        if payload is None:
            break
        name, data, limits = pickle.loads(payload)  # noqa: S301 - from our parent
        del payload
        _cpu_limit(limits.parse_cpu_seconds)
        answer = _answer(name, data, limits)
        del data
        try:
            out = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            out = pickle.dumps(("error", "ParseAborted", "memory"))
        del answer
        stdout.write(len(out).to_bytes(_HEAD, "little") + out)
        stdout.flush()
        del out
        gc.collect()
    return 0


if __name__ == "__main__":
    sys.exit(main())
