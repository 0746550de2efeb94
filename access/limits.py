"""Abuse limits that need no web framework: rate, page size, GraphQL documents.

Each refusal is a LimitExceeded (code LIMIT_EXCEEDED) whose message names the
limit and its setting. The HTTP-level limits (body size, request deadline)
are ASGI middleware in ``access.middleware``.
"""

from __future__ import annotations

import logging
import math
import re
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Protocol

from redis.asyncio import Redis
from redis.commands.core import AsyncScript
from redis.exceptions import RedisError
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)

from domain.errors import InvalidInput, LimitExceeded

if TYPE_CHECKING:
    from app.settings import Settings

log = logging.getLogger(__name__)


class RateLimiter:
    """A token bucket per key (an API token id, a JWT id, or ``ip:<address>``).

    Each bucket holds ``burst`` requests (default: one minute's worth) and
    refills at ``per_minute / 60`` per second. Buckets live in this process:
    with several API processes each keeps its own, so the effective limit is
    ``per_minute`` times the number of processes a caller's requests reach.
    ``SharedRateLimiter`` keeps one count for all of them in Redis; this one
    serves when there is no Redis, and as its fallback.

        >>> limiter = RateLimiter(per_minute=2, clock=lambda: 0.0)
        >>> limiter.take("a"), limiter.take("a"), limiter.take("a") > 0
        (0.0, 0.0, True)
    """

    def __init__(
        self,
        per_minute: int,
        *,
        burst: int | None = None,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 100_000,
    ) -> None:
        if per_minute < 1:
            raise ValueError("per_minute must be at least 1")
        self.per_minute = per_minute
        self.burst = float(burst if burst is not None else per_minute)
        self.rate = per_minute / 60.0
        self.max_keys = max_keys
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def take(self, key: str) -> float:
        """Spend one request of ``key``'s bucket: 0.0 if allowed, else the seconds to wait."""
        now = self._clock()
        tokens, last = self._buckets.get(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        if tokens >= 1.0:
            self._buckets[key] = (tokens - 1.0, now)
            self._buckets.move_to_end(key)
            while len(self._buckets) > self.max_keys:
                self._buckets.popitem(last=False)  # the longest idle: its bucket is full again
            return 0.0
        self._buckets[key] = (tokens, now)
        self._buckets.move_to_end(key)
        return (1.0 - tokens) / self.rate

    def check(self, key: str) -> None:
        """Raise LimitExceeded when ``key`` has no request left."""
        wait = self.take(key)
        if wait > 0:
            raise rate_refusal(self.per_minute, wait)

    async def hit(self, key: str) -> float:
        """``take`` for callers that also use the shared limiter (the same answer)."""
        return self.take(key)


def rate_refusal(per_minute: int, wait: float) -> LimitExceeded:
    return LimitExceeded(
        f"请求过于频繁：每分钟最多 {per_minute} 次，请 {wait:.0f} 秒后重试 "
        f"(rate limit of {per_minute} requests per minute reached; retry in "
        f"{wait:.1f} s; setting GONGJIAN_RATE_LIMIT_PER_MINUTE)",
        limit="rate",
        retry_after=wait,
    )


class Limiter(Protocol):
    """What the access middleware asks of a rate limiter."""

    per_minute: int

    async def hit(self, key: str) -> float:
        """Count one request of ``key``: 0.0 if allowed, else the seconds to wait."""
        ...


#: a sliding-window counter (this minute's count plus the share of last minute's that
#: still falls in the window), atomic in the server; the time is the server's, so every
#: process agrees. Returns 0 when counted, else the milliseconds to wait.
_SLIDING_WINDOW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local current = math.floor(now / window)
local elapsed = now - current * window
local cur_key = KEYS[1] .. ':' .. current
local cur = tonumber(redis.call('GET', cur_key) or '0')
local prev = tonumber(redis.call('GET', KEYS[1] .. ':' .. (current - 1)) or '0')
local left = (window - elapsed) / window
if prev * left + cur + 1 <= limit then
  redis.call('INCR', cur_key)
  redis.call('EXPIRE', cur_key, 2 * window)
  return 0
end
local wait = window - elapsed
if cur + 1 <= limit and prev > 0 then
  wait = (window - elapsed) - (limit - cur - 1) * window / prev
end
return math.max(1, math.ceil(wait * 1000))
"""

_RATE_PREFIX = "gongjian:rate:"


class SharedRateLimiter:
    """A limit shared by every API process: a sliding-window counter in Redis.

    ``client`` returns the Redis connection to use (the embedded FalkorDB
    server is a Redis; with Neo4j, GONGJIAN_REDIS_URL). When Redis does not
    answer, requests are counted by ``fallback`` (this process) and a warning
    is logged at most once a minute.
    """

    def __init__(
        self,
        per_minute: int,
        client: Callable[[], Redis | None],
        *,
        window_seconds: int = 60,
        fallback: RateLimiter | None = None,
    ) -> None:
        self.per_minute = per_minute
        self.window_seconds = window_seconds
        self._client = client
        self._scripts: dict[int, AsyncScript] = {}
        self.fallback = fallback or RateLimiter(per_minute)
        self._warned_at = -math.inf

    async def hit(self, key: str) -> float:
        client = self._client()
        if client is None:
            return self.fallback.take(key)
        script = self._scripts.get(id(client))
        if script is None:
            self._scripts.clear()
            script = self._scripts[id(client)] = client.register_script(_SLIDING_WINDOW)
        try:
            wait_ms = await script(
                keys=[_RATE_PREFIX + key], args=[self.per_minute, self.window_seconds]
            )
        except (RedisError, OSError) as e:
            if time.monotonic() - self._warned_at > 60:
                self._warned_at = time.monotonic()
                log.warning(
                    "shared rate limit unavailable (%s); counting in this process",
                    type(e).__name__,
                )
            return self.fallback.take(key)
        return int(wait_ms) / 1000.0


def page_size(first: int | None, maximum: int, *, default: int | None = None) -> int:
    """The page size to use: ``first`` if within ``maximum``, else a clear refusal.

    >>> page_size(None, 100, default=20), page_size(100, 100)
    (20, 100)
    """
    if first is None:
        return min(default if default is not None else maximum, maximum)
    if first < 0:
        raise InvalidInput("first 不能为负数 (first must not be negative)", field="first")
    if first > maximum:
        raise LimitExceeded(
            f"每页最多 {maximum} 条，请求了 {first} 条；请分页 "
            f"(page size {first} exceeds the maximum of {maximum}; page with after; "
            "setting GONGJIAN_MAX_PAGE_SIZE)",
            limit="pageSize",
            maximum=maximum,
        )
    return first


#: strawberry's refusal texts (strawberry-graphql 0.341.2, graphql-core 3.3.2) per limit,
#: the group holding the maximum, and the message that replaces them
_REFUSALS: tuple[tuple[str, re.Pattern[str], str], ...] = (
    (
        "depth",
        re.compile(r"exceeds maximum operation depth of (\d+)$"),
        "查询嵌套过深：最多 {n} 层 (the query is nested deeper than {n} levels; "
        "ask for fewer nested fields; setting GONGJIAN_MAX_QUERY_DEPTH)",
    ),
    (
        "aliases",
        re.compile(r"^\d+ aliases found\. Allowed: (\d+)$"),
        "查询别名过多：最多 {n} 个 (the document uses more than {n} aliases; "
        "setting GONGJIAN_MAX_ALIASES)",
    ),
    (
        "tokens",
        re.compile(r"Document contains more than (\d+) tokens"),
        "查询过长：最多 {n} 个记号 (the document has more than {n} tokens; "
        "setting GONGJIAN_MAX_QUERY_TOKENS)",
    ),
)


class LimitErrorCodes(SchemaExtension):
    """Gives the document-limit refusals a code and a message naming the setting.

    They stay GraphQL request errors (no ``data``; 400 under
    application/graphql-response+json) and gain ``extensions`` ``code``
    LIMIT_EXCEEDED, ``limit`` (depth, aliases or tokens) and ``maximum``.
    """

    def on_operation(self) -> Iterator[None]:
        yield
        for error in self.execution_context.pre_execution_errors or ():
            for limit, pattern, message in _REFUSALS:
                if m := pattern.search(error.message):
                    maximum = int(m[1])
                    error.message = message.format(n=maximum)
                    error.extensions = {
                        **(error.extensions or {}),
                        "code": LimitExceeded.code,
                        "limit": limit,
                        "maximum": maximum,
                    }
                    break


Extension = type[SchemaExtension] | Callable[[], SchemaExtension]


def graphql_extensions(*, max_depth: int, max_aliases: int, max_tokens: int) -> list[Extension]:
    """The schema extensions enforcing the document limits (one fresh set per request).

    ``strawberry.Schema(query=Query, extensions=graphql_extensions(...))``.
    """
    return [
        LimitErrorCodes,
        _shared_rules(QueryDepthLimiter(max_depth=max_depth)),
        _shared_rules(MaxAliasesLimiter(max_alias_count=max_aliases)),
        lambda: MaxTokensLimiter(max_token_count=max_tokens),
    ]


def _shared_rules(limiter: AddValidationRules) -> Callable[[], SchemaExtension]:
    """A fresh extension per request over the limiter's one rule class. Each limiter
    instance makes a new class, and strawberry's ValidationCache keys on the classes:
    with a new limiter per request no document's validation was ever reused."""
    rules = limiter.validation_rules
    return lambda: AddValidationRules(rules)


def settings_extensions(settings: Settings) -> list[Extension]:
    """``graphql_extensions`` with the limits of ``app.settings.Settings``."""
    return graphql_extensions(
        max_depth=settings.max_query_depth,
        max_aliases=settings.max_aliases,
        max_tokens=settings.max_query_tokens,
    )
