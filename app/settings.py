"""Configuration, read once from the environment, typed; a bad value fails loudly."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from domain.errors import ConfigError
from graph.store import DEFAULT_GRAPH, DEFAULT_URL

#: the demo counties' rosters, shipped inside the package (``gongjian serve --demo``)
DEMO_DIR = Path(__file__).resolve().parent / "demo_rosters"


def _int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as e:
        raise ConfigError(f"{name} 应为整数，收到 {raw!r} ({name} must be an integer)") from e
    if value < minimum:
        raise ConfigError(f"{name} 不能小于 {minimum}，收到 {value}")
    return value


@dataclass(frozen=True)
class Settings:
    """Everything gongjian reads from its environment (GONGJIAN_*)."""

    db: str = DEFAULT_URL
    graph: str = DEFAULT_GRAPH
    host: str = "127.0.0.1"
    port: int = 8000
    query_timeout_ms: int = 30_000
    request_timeout_ms: int = 60_000
    max_page_size: int = 100
    max_query_depth: int = 12
    max_aliases: int = 30
    max_query_tokens: int = 5_000
    max_body_bytes: int = 10 * 1024 * 1024
    rate_limit_per_minute: int = 600
    jwt_secret: str | None = None
    public_read: bool = False
    log_level: str = "INFO"

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        return cls(
            db=env.get("GONGJIAN_DB") or DEFAULT_URL,
            graph=env.get("GONGJIAN_GRAPH") or DEFAULT_GRAPH,
            host=env.get("GONGJIAN_HOST") or "127.0.0.1",
            port=_int("GONGJIAN_PORT", 8000, minimum=0),
            query_timeout_ms=_int("GONGJIAN_QUERY_TIMEOUT_MS", 30_000, minimum=1),
            request_timeout_ms=_int("GONGJIAN_REQUEST_TIMEOUT_MS", 60_000, minimum=1),
            max_page_size=_int("GONGJIAN_MAX_PAGE_SIZE", 100, minimum=1),
            max_query_depth=_int("GONGJIAN_MAX_QUERY_DEPTH", 12, minimum=2),
            max_aliases=_int("GONGJIAN_MAX_ALIASES", 30, minimum=1),
            max_query_tokens=_int("GONGJIAN_MAX_QUERY_TOKENS", 5_000, minimum=50),
            max_body_bytes=_int("GONGJIAN_MAX_BODY_BYTES", 10 * 1024 * 1024, minimum=1024),
            rate_limit_per_minute=_int("GONGJIAN_RATE_LIMIT_PER_MINUTE", 600, minimum=1),
            jwt_secret=env.get("GONGJIAN_JWT_SECRET") or None,
            public_read=(env.get("GONGJIAN_PUBLIC_READ", "").lower() in {"1", "true", "yes"}),
            log_level=(env.get("GONGJIAN_LOG_LEVEL") or "INFO").upper(),
        )
