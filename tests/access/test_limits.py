"""Rate limiter, page size and the GraphQL document limits (a real strawberry schema)."""

from __future__ import annotations

from typing import Any

import pytest
import strawberry

from access.limits import RateLimiter, graphql_extensions, page_size, settings_extensions
from app.settings import Settings
from domain.errors import InvalidInput, LimitExceeded


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_bucket_allows_a_burst_then_refills_at_the_rate() -> None:
    clock = Clock()
    limiter = RateLimiter(per_minute=60, burst=3, clock=clock)
    assert [limiter.take("tok_a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.take("tok_a") == pytest.approx(1.0)
    assert limiter.take("tok_b") == 0.0  # every key has its own bucket
    clock.now += 1.0
    assert limiter.take("tok_a") == 0.0
    assert limiter.take("tok_a") > 0
    clock.now += 3600
    assert [limiter.take("tok_a") for _ in range(4)][:3] == [0.0, 0.0, 0.0]  # capped at burst


def test_check_raises_a_clear_limit_error() -> None:
    limiter = RateLimiter(per_minute=1, clock=Clock())
    limiter.check("ip:127.0.0.1")
    with pytest.raises(LimitExceeded, match="每分钟最多 1 次") as refused:
        limiter.check("ip:127.0.0.1")
    assert refused.value.code == "LIMIT_EXCEEDED"
    assert refused.value.details["retry_after"] == pytest.approx(60.0)
    assert "GONGJIAN_RATE_LIMIT_PER_MINUTE" in refused.value.message


def test_idle_buckets_are_forgotten_beyond_max_keys() -> None:
    limiter = RateLimiter(per_minute=1, clock=Clock(), max_keys=2)
    for key in ("a", "b", "c"):
        limiter.take(key)
    assert limiter.take("a") == 0.0  # "a" was dropped and starts full again
    assert limiter.take("c") > 0
    with pytest.raises(ValueError):
        RateLimiter(per_minute=0)


def test_page_size() -> None:
    assert page_size(None, 100) == 100
    assert page_size(None, 100, default=20) == 20
    assert page_size(0, 100) == 0 and page_size(100, 100) == 100
    with pytest.raises(LimitExceeded, match="每页最多 100 条") as refused:
        page_size(101, 100)
    assert refused.value.details == {"limit": "pageSize", "maximum": 100}
    with pytest.raises(InvalidInput):
        page_size(-1, 100)


@strawberry.type
class Node:
    name: str = "桂圆林社区"

    @strawberry.field
    def child(self) -> Node:
        return Node()


@strawberry.type
class Query:
    @strawberry.field
    def node(self) -> Node:
        return Node()


SCHEMA = strawberry.Schema(
    query=Query, extensions=graphql_extensions(max_depth=4, max_aliases=3, max_tokens=60)
)


async def _run(query: str) -> Any:
    return await SCHEMA.execute(query)


async def test_documents_within_the_limits_run() -> None:
    result = await _run("{ a: node { name } b: node { child { child { name } } } }")
    assert result.errors is None
    assert result.data["b"]["child"]["child"]["name"] == "桂圆林社区"


@pytest.mark.parametrize(
    ("query", "limit", "maximum", "says"),
    [
        ("{ node { child { child { child { child { name } } } } } }", "depth", 4, "最多 4 层"),
        (
            "{ a: node { name } b: node { name } c: node { name } d: node { name } }",
            "aliases",
            3,
            "最多 3 个",
        ),
        ("{ " + " ".join(["node { name }"] * 20) + " }", "tokens", 60, "最多 60 个记号"),
    ],
)
async def test_refusals_are_coded(query: str, limit: str, maximum: int, says: str) -> None:
    result = await _run(query)
    assert result.data is None
    [error] = result.errors
    assert error.extensions == {"code": "LIMIT_EXCEEDED", "limit": limit, "maximum": maximum}
    assert says in error.message and "GONGJIAN_" in error.message


async def test_fragments_count_towards_depth() -> None:
    query = """
    fragment deep on Node { child { child { child { name } } } }
    { node { child { ...deep } } }
    """
    result = await _run(query)
    assert result.errors and result.errors[0].extensions["limit"] == "depth"


async def test_other_errors_are_left_alone() -> None:
    result = await _run("{ nope }")
    assert result.errors and "code" not in (result.errors[0].extensions or {})


def test_settings_extensions() -> None:
    strawberry.Schema(query=Query, extensions=settings_extensions(Settings()))
