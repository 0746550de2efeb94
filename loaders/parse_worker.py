"""The child process that parses one roster file, under memory and CPU limits.

``loaders.sandbox`` runs it as ``python -I loaders/parse_worker.py``, sends a pickled
``(name, data, limits)`` on stdin and reads a pickled answer on stdout: ``("ok", sheets)``
or ``("error", class name, message)``. Whatever the parser does to this process
(an allocation of 512 GiB, an abort, a loop) stays in it.
"""

from __future__ import annotations

import pickle
import resource
import sys
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIB = 1024 * 1024


def _package() -> None:
    """Import ``loaders.read`` without the package's ``__init__`` (the graph, the
    division index): a tenth of the start-up time."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    if "loaders" not in sys.modules:
        package = types.ModuleType("loaders")
        package.__path__ = [str(ROOT / "loaders")]
        sys.modules["loaders"] = package


def _limit(memory_mb: int, cpu_seconds: int) -> None:
    memory = memory_mb * MIB
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def main() -> int:
    _package()
    from domain.errors import GongjianError  # noqa: PLC0415
    from loaders.read import read_bytes  # noqa: PLC0415

    name, data, limits = pickle.loads(sys.stdin.buffer.read())  # noqa: S301 - from our parent
    _limit(limits.parse_memory_mb, limits.parse_cpu_seconds)
    answer: tuple[object, ...]
    try:
        answer = ("ok", read_bytes(name, data, limits))
    except GongjianError as e:
        answer = ("error", type(e).__name__, e.message)
    except MemoryError:
        answer = ("error", "ParseAborted", "memory")
    except Exception as e:  # noqa: BLE001 - a parser's own failure on a hostile file
        answer = ("error", "Unreadable", type(e).__name__)
    except BaseException as e:  # a Rust panic arrives as a BaseException
        if isinstance(e, (SystemExit, KeyboardInterrupt)):
            raise
        answer = ("error", "Unreadable", type(e).__name__)
    sys.stdout.buffer.write(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
