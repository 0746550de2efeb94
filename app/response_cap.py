"""JSON encoding that stops at a size cap instead of building an oversized body.

The body is encoded piece by piece (the top levels of the tree one by one, each
piece by the C encoder) and the encoding stops as soon as the pieces pass the
cap: what is held at most is the cap plus one piece, never the whole body.

    >>> encode_capped({"data": {"a": [1, 2]}}, 100)
    b'{"data":{"a":[1,2]}}'
"""

from __future__ import annotations

import json
from typing import Any

from domain.errors import ResponseTooLarge

#: containers this deep and deeper are encoded whole (one piece)
_PIECE_DEPTH = 4


class _Budget:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0

    def spend(self, piece: bytes) -> bytes:
        self.used += len(piece)
        if self.used > self.limit:
            raise response_refusal(self.limit)
        return piece


def response_refusal(limit: int) -> ResponseTooLarge:
    return ResponseTooLarge(
        f"响应超过 {limit} 字节，未发送：请减少字段或分页 (the response would exceed "
        f"{limit} bytes and was not sent; ask for fewer fields or smaller pages; "
        "setting GONGJIAN_MAX_RESPONSE_BYTES)",
        limit="responseBytes",
        maximum=limit,
    )


def _dumps(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _encode(value: Any, depth: int, budget: _Budget, out: list[bytes]) -> None:
    if depth >= _PIECE_DEPTH or not isinstance(value, dict | list) or not value:
        out.append(budget.spend(_dumps(value)))
        return
    if isinstance(value, dict):
        out.append(budget.spend(b"{"))
        for i, (key, item) in enumerate(value.items()):
            out.append(budget.spend((b"," if i else b"") + _dumps(str(key)) + b":"))
            _encode(item, depth + 1, budget, out)
        out.append(budget.spend(b"}"))
        return
    out.append(budget.spend(b"["))
    for i, item in enumerate(value):
        if i:
            out.append(budget.spend(b","))
        _encode(item, depth + 1, budget, out)
    out.append(budget.spend(b"]"))


def encode_capped(data: object, limit: int) -> bytes:
    """``data`` as compact UTF-8 JSON; ResponseTooLarge once it passes ``limit`` bytes."""
    out: list[bytes] = []
    _encode(data, 0, _Budget(limit), out)
    return b"".join(out)
